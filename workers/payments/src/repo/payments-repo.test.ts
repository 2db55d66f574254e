import { describe, expect, it } from 'vitest'
import { chargeRequest, eventsOf, rowsOf, testEnv } from '../../../../test/support/payments'
import { createPaymentsRepo, type StoredPayment } from './payments-repo'

const repo = createPaymentsRepo(testEnv.DB)

function attempt(overrides: Partial<StoredPayment> = {}): StoredPayment {
  const request = chargeRequest()
  return {
    id: `pay_${crypto.randomUUID()}`,
    key: request.key,
    requestHash: 'hash',
    orderId: request.order_id,
    userId: request.user_id,
    amountCents: 100,
    currency: 'EUR',
    status: 'pending',
    declineReason: null,
    providerChargeId: null,
    createdAt: new Date().toISOString(),
    ...overrides,
  }
}

describe('the payments table', () => {
  it('holds at most one live attempt per order: the unique index refuses a second claim', async () => {
    const first = attempt()
    expect(await repo.claim(first, 'sandbox')).toBe(true)
    expect(await repo.claim(attempt({ orderId: first.orderId }), 'sandbox')).toBe(false)
    expect(await repo.claim(attempt({ key: first.key }), 'sandbox')).toBe(false)
    expect(await rowsOf(first.orderId)).toHaveLength(1)
  })

  it('lets a declined attempt make room for the next one', async () => {
    const first = attempt()
    await repo.claim(first, 'sandbox')
    expect(await repo.settleDeclined(first.id, 'card_declined', new Date())).toBe(true)
    expect(await repo.claim(attempt({ orderId: first.orderId }), 'sandbox')).toBe(true)
  })

  it('settles a capture once: the second settlement changes nothing and writes no second event', async () => {
    const payment = attempt()
    await repo.claim(payment, 'sandbox')
    expect(await repo.settleCaptured(payment, 'ch_1', new Date())).toBe(true)
    expect(await repo.settleCaptured(payment, 'ch_1', new Date())).toBe(false)
    expect(await eventsOf(payment.orderId)).toHaveLength(1)
  })

  it('writes no event when the guarded change finds the attempt cancelled', async () => {
    const payment = attempt()
    await repo.claim(payment, 'sandbox')
    await repo.settleDeclined(payment.id, 'cancelled', new Date())
    expect(await repo.settleCaptured(payment, 'ch_1', new Date())).toBe(false)
    expect((await rowsOf(payment.orderId)).map((row) => row.status)).toEqual(['declined'])
    expect(await eventsOf(payment.orderId)).toEqual([])
  })

  it('refunds only a capture, once, with one event', async () => {
    const payment = attempt()
    await repo.claim(payment, 'sandbox')
    expect(await repo.settleRefunded(payment, new Date())).toBe(false)
    await repo.settleCaptured(payment, 'ch_1', new Date())
    expect(await repo.settleRefunded(payment, new Date())).toBe(true)
    expect(await repo.settleRefunded(payment, new Date())).toBe(false)
    expect((await eventsOf(payment.orderId)).map((event) => event.id)).toEqual([`evt_${payment.id}_captured`, `evt_${payment.id}_refunded`])
  })

  it('refuses a status or an amount the schema does not allow', async () => {
    const payment = attempt()
    await repo.claim(payment, 'sandbox')
    const setStatus = testEnv.DB.prepare(`UPDATE payments SET status = 'lost' WHERE id = ?1`).bind(payment.id)
    await expect(setStatus.run()).rejects.toThrow(/CHECK constraint failed/)
    const refused = await repo.claim(attempt({ amountCents: 0 }), 'sandbox').catch((error: Error) => String(error.cause))
    expect(refused).toMatch(/CHECK constraint failed/)
  })
})
