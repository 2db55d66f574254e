import { describe, expect, it } from 'vitest'
import { CloudEventSchema, EVENT_TYPES, PaymentCapturedV1, PaymentRefundedV1 } from '../../../../shared-contracts/events'
import { charge, chargeRequest, eventsOf, refund, testEnv } from '../../../../test/support/payments'

describe('the payments outbox', () => {
  it('writes payment.captured with the capture', async () => {
    const request = chargeRequest({ amount_cents: 777, currency: 'CHF' })
    const result = await charge(request)
    if (!result.ok) throw new Error(result.error.code)
    const [row, ...more] = await eventsOf(request.order_id)
    expect(more).toHaveLength(0)
    const event = CloudEventSchema.parse(JSON.parse(row!.envelope))
    expect(event).toMatchObject({
      specversion: '1.0',
      id: row!.id,
      type: EVENT_TYPES.paymentCaptured,
      source: '/services/payments',
      subject: result.value.payment_id,
    })
    expect(PaymentCapturedV1.parse(event.data)).toEqual({
      payment_id: result.value.payment_id,
      order_id: request.order_id,
      amount_cents: 777,
      currency: 'CHF',
    })
  })

  it('writes payment.refunded with the refund', async () => {
    const request = chargeRequest()
    const result = await charge(request)
    if (!result.ok) throw new Error(result.error.code)
    await refund(request.order_id)
    const rows = await eventsOf(request.order_id)
    const refunded = rows.find((row) => row.type === EVENT_TYPES.paymentRefunded)
    const event = CloudEventSchema.parse(JSON.parse(refunded!.envelope))
    expect(event.subject).toBe(result.value.payment_id)
    expect(PaymentRefundedV1.parse(event.data)).toEqual({
      payment_id: result.value.payment_id,
      order_id: request.order_id,
      amount_cents: 4200,
      currency: 'EUR',
    })
  })

  it('writes no event for a declined charge, a transient failure or a refund of nothing', async () => {
    const declined = chargeRequest({ payment_token: 'tok_chargeDeclined' })
    const transient = chargeRequest({ payment_token: 'tok_transientError' })
    await charge(declined)
    await charge(transient)
    await refund(declined.order_id)
    expect(await eventsOf(declined.order_id)).toEqual([])
    expect(await eventsOf(transient.order_id)).toEqual([])
  })

  it('writes its event as sent: no service subscribes to payment events, so nothing is left for a relay', async () => {
    const request = chargeRequest()
    await charge(request)
    const [event] = await eventsOf(request.order_id)
    const row = await testEnv.DB.prepare('SELECT created_at, sent_at, claimed_until, attempts FROM outbox WHERE id = ?1')
      .bind(event!.id)
      .first()
    expect(row).toEqual({
      created_at: expect.any(String),
      sent_at: (row as { created_at: string }).created_at,
      claimed_until: null,
      attempts: 0,
    })
  })
})
