import { describe, expect, it } from 'vitest'
import { EVENT_TYPES } from '../../../../shared-contracts/events'
import { charge, chargeRequest, eventsOf, newKey, rowsOf } from '../../../../test/support/payments'

describe('PaymentsRpc.charge', () => {
  it('captures tok_visa and records the payment', async () => {
    const request = chargeRequest({ amount_cents: 1999, currency: 'USD' })
    const result = await charge(request)
    expect(result).toEqual({ ok: true, value: { payment_id: expect.stringMatching(/^pay_/), status: 'captured' } })
    const [row, ...more] = await rowsOf(request.order_id)
    expect(more).toHaveLength(0)
    expect(row).toMatchObject({
      id: result.ok && result.value.payment_id,
      user_id: request.user_id,
      amount_cents: 1999,
      status: 'captured',
    })
  })

  it('declines tok_chargeDeclined, records the declined attempt, and answers the same on a retry', async () => {
    const request = chargeRequest({ payment_token: 'tok_chargeDeclined' })
    expect(await charge(request)).toMatchObject({ ok: false, error: { code: 'payment_declined' } })
    expect(await charge(request)).toMatchObject({ ok: false, error: { code: 'payment_declined' } })
    expect(await rowsOf(request.order_id)).toEqual([expect.objectContaining({ status: 'declined', decline_reason: 'card_declined' })])
    expect(await eventsOf(request.order_id)).toEqual([])
  })

  it('declines a token the provider does not know (invalid_token)', async () => {
    const request = chargeRequest({ payment_token: 'tok_madeUp' })
    expect(await charge(request)).toMatchObject({ ok: false, error: { code: 'payment_declined' } })
    expect(await rowsOf(request.order_id)).toEqual([expect.objectContaining({ status: 'declined', decline_reason: 'invalid_token' })])
  })

  it('lets an order declined once be paid with another key and another token', async () => {
    const declined = chargeRequest({ payment_token: 'tok_chargeDeclined' })
    await charge(declined)
    const paid = await charge({ ...declined, payment_token: 'tok_visa', key: newKey() })
    expect(paid).toMatchObject({ ok: true, value: { status: 'captured' } })
    expect((await rowsOf(declined.order_id)).map((row) => row.status)).toEqual(['declined', 'captured'])
  })

  it('answers provider_error on a transient failure and captures on a retry with the same key, once', async () => {
    const request = chargeRequest({ payment_token: 'tok_transientError_2' })
    expect(await charge(request)).toMatchObject({ ok: false, error: { code: 'provider_error' } })
    expect(await charge(request)).toMatchObject({ ok: false, error: { code: 'provider_error' } })
    const captured = await charge(request)
    expect(captured).toMatchObject({ ok: true, value: { status: 'captured' } })
    expect(await charge(request)).toEqual(captured)
    expect((await rowsOf(request.order_id)).map((row) => row.status)).toEqual(['captured'])
    expect(await eventsOf(request.order_id)).toHaveLength(1)
  })

  it('keeps an attempt that failed transiently pending: no other key can charge the order meanwhile', async () => {
    const request = chargeRequest({ payment_token: 'tok_transientError' })
    expect(await charge(request)).toMatchObject({ ok: false, error: { code: 'provider_error' } })
    const other = await charge({ ...request, payment_token: 'tok_visa', key: newKey() })
    expect(other).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect((await rowsOf(request.order_id)).map((row) => row.status)).toEqual(['pending'])
  })
})

describe('PaymentsRpc.charge never captures an order twice', () => {
  it('answers a second charge with the same key with the same capture', async () => {
    const request = chargeRequest()
    const first = await charge(request)
    expect(await charge(request)).toEqual(first)
    expect(await rowsOf(request.order_id)).toHaveLength(1)
    expect((await eventsOf(request.order_id)).map((event) => event.type)).toEqual([EVENT_TYPES.paymentCaptured])
  })

  it('answers a charge of a captured order with another key with the existing capture', async () => {
    const request = chargeRequest()
    const first = await charge(request)
    expect(await charge({ ...request, key: newKey() })).toEqual(first)
    expect(await rowsOf(request.order_id)).toHaveLength(1)
    expect(await eventsOf(request.order_id)).toHaveLength(1)
  })

  it.each([
    ['amount', { amount_cents: 1 }],
    ['currency', { currency: 'GBP' }],
    ['user', { user_id: 'usr_someone_else' }],
  ])('refuses another key for a captured order with another %s (conflict)', async (_label, change) => {
    const request = chargeRequest()
    await charge(request)
    expect(await charge({ ...request, ...change, key: newKey() })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await rowsOf(request.order_id)).toHaveLength(1)
  })

  it('refuses the same key with another request (idempotency_key_reused) and writes nothing', async () => {
    const request = chargeRequest()
    await charge(request)
    for (const change of [{ amount_cents: 9999 }, { order_id: 'ord_other' }, { payment_token: 'tok_chargeDeclined' }]) {
      expect(await charge({ ...request, ...change })).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } })
    }
    expect(await rowsOf(request.order_id)).toHaveLength(1)
    expect(await rowsOf('ord_other')).toHaveLength(0)
  })

  it('captures once when the same charge arrives many times at once', async () => {
    const request = chargeRequest()
    const results = await Promise.all(Array.from({ length: 6 }, () => charge(request)))
    const ids = new Set(results.map((result) => (result.ok ? result.value.payment_id : result.error.code)))
    expect(ids.size).toBe(1)
    expect(results[0]).toMatchObject({ ok: true, value: { status: 'captured' } })
    expect((await rowsOf(request.order_id)).map((row) => row.status)).toEqual(['captured'])
    expect(await eventsOf(request.order_id)).toHaveLength(1)
  })

  it('captures once when charges of one order arrive at once under different keys', async () => {
    const request = chargeRequest()
    const results = await Promise.all(Array.from({ length: 6 }, () => charge({ ...request, key: newKey() })))
    const captured = results.flatMap((result) => (result.ok ? [result.value.payment_id] : []))
    expect(captured.length).toBeGreaterThanOrEqual(1)
    expect(new Set(captured).size).toBe(1)
    for (const result of results) if (!result.ok) expect(result.error.code).toBe('conflict')
    expect((await rowsOf(request.order_id)).map((row) => row.status)).toEqual(['captured'])
    expect(await eventsOf(request.order_id)).toHaveLength(1)
  })
})

describe('PaymentsRpc.charge input', () => {
  const valid = chargeRequest()
  it.each([
    ['order_id', { order_id: '' }],
    ['user_id', { user_id: 7 }],
    ['amount_cents', { amount_cents: 0 }],
    ['amount_cents', { amount_cents: -5 }],
    ['amount_cents', { amount_cents: 12.5 }],
    ['amount_cents', { amount_cents: '100' }],
    ['currency', { currency: 'eur' }],
    ['currency', { currency: 'EURO' }],
    ['payment_token', { payment_token: '' }],
    ['key', { key: '' }],
    ['key', { key: 'k'.repeat(256) }],
    ['extra', { extra: true }],
  ])('refuses a bad %s as validation_failed and writes nothing', async (field, change) => {
    const request = { ...valid, order_id: `ord_bad_${crypto.randomUUID()}`, ...change } as never
    const result = await charge(request)
    expect(result).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
    if (!result.ok) expect(result.error.errors?.map((error) => error.path)).toContain(field)
    expect(await rowsOf((request as { order_id: string }).order_id)).toHaveLength(0)
  })

  it.each([null, 'a string', 42, []])('refuses a request that is not an object (%j)', async (request) => {
    expect(await charge(request as never)).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
  })
})
