import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { guardProvider } from './guarded'
import type { PaymentProvider } from './provider'
import { createProvider } from './select'

// OWASP API10 (unsafe consumption of APIs): what a payment provider answers is checked before
// the service acts on it. The providers below stand for a real one misbehaving.
const charge = { amount_cents: 1250, currency: 'EUR', token: 'tok_visa', idempotency_key: 'payments:charge:k' }
const refund = { provider_charge_id: 'ch_1', idempotency_key: 'payments:refund:k' }

function answering(chargeAnswer: () => Promise<unknown>, refundAnswer: () => Promise<unknown> = chargeAnswer): PaymentProvider {
  return { name: 'acme', charge: chargeAnswer as PaymentProvider['charge'], refund: refundAnswer as PaymentProvider['refund'] }
}

describe('a guarded provider', () => {
  it('passes valid outcomes through, dropping fields the contract does not know', async () => {
    const provider = guardProvider(
      answering(async () => ({ status: 'captured', provider_charge_id: 'ch_123', card_number: '4242424242424242' })),
    )
    expect(await provider.charge(charge)).toEqual({ status: 'captured', provider_charge_id: 'ch_123' })
    const refunds = guardProvider(answering(async () => ({ status: 'refunded', provider_refund_id: 're_1' })))
    expect(await refunds.refund(refund)).toEqual({ status: 'refunded', provider_refund_id: 're_1' })
  })

  it('treats a provider that never answers as an unknown outcome, in bounded time', async () => {
    const provider = guardProvider(
      answering(() => new Promise(() => {})),
      { timeoutMs: 50 },
    )
    expect(await provider.charge(charge)).toEqual({ status: 'transient_error', reason: 'acme: no answer within 50 ms' })
    expect(await provider.refund(refund)).toMatchObject({ status: 'transient_error' })
  })

  it.each([
    ['an unknown status', { status: 'maybe' }],
    ['a capture without an id', { status: 'captured' }],
    ['an empty charge id', { status: 'captured', provider_charge_id: '' }],
    ['an oversized charge id', { status: 'captured', provider_charge_id: 'c'.repeat(256) }],
    ['a charge id with control characters', { status: 'captured', provider_charge_id: 'ch_1\r\nSet-Cookie: x' }],
    ['a charge id that is not a string', { status: 'captured', provider_charge_id: { $gt: '' } }],
    ['an oversized decline reason', { status: 'declined', reason: 'r'.repeat(10_000) }],
    ['null', null],
    ['a string', 'captured'],
    ['an array', [{ status: 'captured', provider_charge_id: 'ch_1' }]],
  ])('treats %s as an unknown outcome, never as a capture or a decline', async (_, answer) => {
    expect(await guardProvider(answering(async () => answer)).charge(charge)).toEqual({
      status: 'transient_error',
      reason: 'acme: an answer that is not a valid outcome',
    })
  })

  it('never takes a refund for a capture', async () => {
    const provider = guardProvider(answering(async () => ({ status: 'captured', provider_charge_id: 'ch_1' })))
    expect(await provider.refund(refund)).toMatchObject({ status: 'transient_error' })
  })

  it('cuts a long transient reason (it is logged)', async () => {
    const provider = guardProvider(answering(async () => ({ status: 'transient_error', reason: 'x'.repeat(100_000) })))
    const outcome = await provider.charge(charge)
    expect(outcome.status === 'transient_error' && outcome.reason.length).toBe(200)
  })

  it('lets a bug in the adapter surface as a throw', async () => {
    const provider = guardProvider(answering(async () => Promise.reject(new Error('bug'))))
    await expect(provider.charge(charge)).rejects.toThrow('bug')
  })

  it('is what the payments Worker charges through', async () => {
    const provider = createProvider('sandbox', (env as unknown as { DB: D1Database }).DB)
    expect(await provider.charge({ ...charge, token: 'tok_visa' })).toMatchObject({ status: 'captured' })
    expect(await provider.charge({ ...charge, token: 'tok_chargeDeclined' })).toEqual({ status: 'declined', reason: 'card_declined' })
  })
})
