import { describe, expect, it } from 'vitest'
import { memoryAttemptCounter } from './attempts'
import { createSandboxProvider } from './sandbox'
import { createProvider } from './select'

const charge = (token: string, idempotency_key = crypto.randomUUID()) => ({ amount_cents: 1250, currency: 'EUR', token, idempotency_key })

function sandbox() {
  return createSandboxProvider(memoryAttemptCounter())
}

async function capturedId(provider: ReturnType<typeof sandbox>, token: string, key?: string): Promise<string> {
  const outcome = await provider.charge(charge(token, key))
  if (outcome.status !== 'captured') throw new Error(`expected a capture, got ${outcome.status}`)
  return outcome.provider_charge_id
}

describe('sandbox provider: charges', () => {
  it('captures tok_visa', async () => {
    expect(await sandbox().charge(charge('tok_visa'))).toEqual({
      status: 'captured',
      provider_charge_id: expect.stringMatching(/^ch_sandbox_ok_/),
    })
  })

  it('declines tok_chargeDeclined as card_declined, every time', async () => {
    const provider = sandbox()
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await provider.charge(charge('tok_chargeDeclined', 'same-key'))).toEqual({ status: 'declined', reason: 'card_declined' })
    }
  })

  it.each(['tok_unknown', 'TOK_VISA', 'tok_visa ', 'tok_transientError_0', 'tok_transientError_10', ''])(
    'declines the unknown token %j as invalid_token',
    async (token) => {
      expect(await sandbox().charge(charge(token))).toEqual({ status: 'declined', reason: 'invalid_token' })
    },
  )

  it('gives the same idempotency key the same charge id, and another key another id', async () => {
    const provider = sandbox()
    const first = await capturedId(provider, 'tok_visa', 'key-a')
    expect(await capturedId(provider, 'tok_visa', 'key-a')).toBe(first)
    expect(await capturedId(provider, 'tok_visa', 'key-b')).not.toBe(first)
  })

  it('fails tok_transientError transiently on every attempt', async () => {
    const provider = sandbox()
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await provider.charge(charge('tok_transientError', 'down'))).toMatchObject({ status: 'transient_error' })
    }
  })

  it('fails tok_transientError_2 on the first two attempts with a key, then captures', async () => {
    const provider = sandbox()
    expect(await provider.charge(charge('tok_transientError_2', 'k'))).toMatchObject({ status: 'transient_error' })
    expect(await provider.charge(charge('tok_transientError_2', 'k'))).toMatchObject({ status: 'transient_error' })
    expect(await provider.charge(charge('tok_transientError_2', 'k'))).toMatchObject({ status: 'captured' })
    expect(await provider.charge(charge('tok_transientError_2', 'k'))).toMatchObject({ status: 'captured' })
  })

  it('counts the failing attempts of each idempotency key apart', async () => {
    const provider = sandbox()
    expect(await provider.charge(charge('tok_transientError_1', 'first'))).toMatchObject({ status: 'transient_error' })
    expect(await provider.charge(charge('tok_transientError_1', 'second'))).toMatchObject({ status: 'transient_error' })
    expect(await provider.charge(charge('tok_transientError_1', 'first'))).toMatchObject({ status: 'captured' })
  })
})

describe('sandbox provider: refunds', () => {
  it('refunds a tok_visa charge', async () => {
    const provider = sandbox()
    const id = await capturedId(provider, 'tok_visa')
    expect(await provider.refund({ provider_charge_id: id, idempotency_key: 'r' })).toEqual({
      status: 'refunded',
      provider_refund_id: expect.stringMatching(/^re_sandbox_/),
    })
  })

  it('refunds a charge that needed retries like any other', async () => {
    const provider = sandbox()
    await provider.charge(charge('tok_transientError_1', 'k'))
    const id = await capturedId(provider, 'tok_transientError_1', 'k')
    expect(await provider.refund({ provider_charge_id: id, idempotency_key: 'r' })).toMatchObject({ status: 'refunded' })
  })

  it('fails refunds of a tok_refundTransientError charge on every attempt', async () => {
    const provider = sandbox()
    const id = await capturedId(provider, 'tok_refundTransientError')
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await provider.refund({ provider_charge_id: id, idempotency_key: 'r' })).toMatchObject({ status: 'transient_error' })
    }
  })

  it('fails refunds of a tok_refundTransientError_1 charge once per refund key, then refunds', async () => {
    const provider = sandbox()
    const id = await capturedId(provider, 'tok_refundTransientError_1')
    expect(await provider.refund({ provider_charge_id: id, idempotency_key: 'r' })).toMatchObject({ status: 'transient_error' })
    expect(await provider.refund({ provider_charge_id: id, idempotency_key: 'r' })).toMatchObject({ status: 'refunded' })
  })

  it('throws for a charge id it never made: a bug, not an outcome', async () => {
    await expect(sandbox().refund({ provider_charge_id: 'ch_live_123', idempotency_key: 'r' })).rejects.toThrow(/not a sandbox charge/)
  })
})

describe('createProvider', () => {
  const db = {} as D1Database

  it('builds the sandbox for PAYMENT_PROVIDER=sandbox', () => {
    expect(createProvider('sandbox', db).name).toBe('sandbox')
  })

  it.each([undefined, '', 'stripe', 'SANDBOX'])('refuses the unknown provider %j loudly', (name) => {
    expect(() => createProvider(name, db)).toThrow(/PAYMENT_PROVIDER must be one of sandbox/)
  })
})
