import { describe, expect, it } from 'vitest'
import { EVENT_TYPES } from '../../../../shared-contracts/events'
import {
  charge,
  chargeRequest,
  eventsOf,
  newKey,
  newOrderId,
  ordersCredential,
  refund,
  rowsOf,
  rpc,
} from '../../../../test/support/payments'

const typesOf = async (orderId: string) => (await eventsOf(orderId)).map((event) => event.type)

describe('PaymentsRpc.refund', () => {
  it('refunds a captured order and records it with its event', async () => {
    const request = chargeRequest()
    await charge(request)
    expect(await refund(request.order_id)).toEqual({ ok: true, value: { status: 'refunded' } })
    expect((await rowsOf(request.order_id)).map((row) => row.status)).toEqual(['refunded'])
    expect(await typesOf(request.order_id)).toEqual([EVENT_TYPES.paymentCaptured, EVENT_TYPES.paymentRefunded])
  })

  it('is a no-op success for an order that was never charged', async () => {
    const orderId = newOrderId()
    expect(await refund(orderId)).toEqual({ ok: true, value: { status: 'none' } })
    expect(await rowsOf(orderId)).toEqual([])
    expect(await eventsOf(orderId)).toEqual([])
  })

  it('is a no-op success for an order whose charge was declined', async () => {
    const request = chargeRequest({ payment_token: 'tok_chargeDeclined' })
    await charge(request)
    expect(await refund(request.order_id)).toEqual({ ok: true, value: { status: 'none' } })
    expect((await rowsOf(request.order_id)).map((row) => row.status)).toEqual(['declined'])
  })

  it('refunds once when asked twice, with the same key or another', async () => {
    const request = chargeRequest()
    await charge(request)
    const key = newKey()
    for (const again of [key, key, newKey()]) {
      expect(await refund(request.order_id, again)).toEqual({ ok: true, value: { status: 'refunded' } })
    }
    expect(await typesOf(request.order_id)).toEqual([EVENT_TYPES.paymentCaptured, EVENT_TYPES.paymentRefunded])
  })

  it('refunds once when refunds arrive at once', async () => {
    const request = chargeRequest()
    await charge(request)
    const results = await Promise.all(Array.from({ length: 5 }, () => refund(request.order_id)))
    expect(results).toEqual(Array.from({ length: 5 }, () => ({ ok: true, value: { status: 'refunded' } })))
    expect(await typesOf(request.order_id)).toEqual([EVENT_TYPES.paymentCaptured, EVENT_TYPES.paymentRefunded])
  })

  it('answers provider_error when the provider fails, keeps the capture, and refunds on a retry', async () => {
    const request = chargeRequest({ payment_token: 'tok_refundTransientError_1' })
    await charge(request)
    const key = newKey()
    expect(await refund(request.order_id, key)).toMatchObject({ ok: false, error: { code: 'provider_error' } })
    expect((await rowsOf(request.order_id)).map((row) => row.status)).toEqual(['captured'])
    expect(await typesOf(request.order_id)).toEqual([EVENT_TYPES.paymentCaptured])
    expect(await refund(request.order_id, key)).toEqual({ ok: true, value: { status: 'refunded' } })
  })

  it('cancels a charge that never settled, so a late retry of it cannot capture', async () => {
    const request = chargeRequest({ payment_token: 'tok_transientError' })
    expect(await charge(request)).toMatchObject({ ok: false, error: { code: 'provider_error' } })
    expect(await refund(request.order_id)).toEqual({ ok: true, value: { status: 'none' } })
    expect(await rowsOf(request.order_id)).toEqual([expect.objectContaining({ status: 'declined', decline_reason: 'cancelled' })])
    expect(await charge(request)).toMatchObject({ ok: false, error: { code: 'payment_declined' } })
    expect(await eventsOf(request.order_id)).toEqual([])
  })

  it('never captures a refunded order again, whatever the key', async () => {
    const request = chargeRequest()
    await charge(request)
    await refund(request.order_id)
    expect(await charge(request)).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await charge({ ...request, key: newKey() })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect((await rowsOf(request.order_id)).map((row) => row.status)).toEqual(['refunded'])
  })

  it.each([
    ['order_id', { order_id: '' }],
    ['key', { key: '' }],
    ['amount_cents', { amount_cents: 100 }],
  ])('refuses a bad request (%s) as validation_failed and refunds nothing', async (path, change) => {
    const request = chargeRequest()
    await charge(request)
    const result = await rpc.refund(await ordersCredential(), { order_id: request.order_id, key: newKey(), ...change } as never)
    expect(result).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
    if (!result.ok) expect(JSON.stringify(result.error.errors)).toContain(path)
    expect((await rowsOf(request.order_id)).map((row) => row.status)).toEqual(['captured'])
  })
})
