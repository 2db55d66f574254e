import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createEvent } from '../../../../platform/events/envelope'
import { DELETED_USER_ID, EVENT_TYPES } from '../../../../shared-contracts/events'
import worker from '../index'
import type { Env } from '../env'
import { callPayments, charge, chargeRequest, customer, newUserId, rowsOf, testEnv } from '../../../../test/support/payments'
import { EVENTS_QUEUE } from './queue'

const userDeleted = (user_id: string) =>
  createEvent({
    service: 'users',
    type: EVENT_TYPES.userDeleted,
    subject: user_id,
    data: { user_id, deleted_at: new Date().toISOString() },
  })

/** Hands the events to the Worker's queue handler, as the Queues runtime would. */
async function deliver(...bodies: unknown[]) {
  const batch = createMessageBatch(
    EVENTS_QUEUE,
    bodies.map((body) => ({ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body })),
  )
  const ctx = createExecutionContext()
  await (worker as ExportedHandler<Env>).queue!(batch, testEnv, ctx)
  return getQueueResult(batch, ctx)
}

async function everything(): Promise<string> {
  const tables = ['payments', 'outbox', 'dead_letters']
  const results = await testEnv.DB.batch(tables.map((table) => testEnv.DB.prepare(`SELECT * FROM ${table}`)))
  return JSON.stringify(results.map((result) => result.results))
}

describe('user.deleted in payments', () => {
  it("keeps the user's payments with their amounts and outcomes, under the tombstone id", async () => {
    const userId = newUserId()
    const captured = chargeRequest({ user_id: userId, amount_cents: 1234 })
    const declined = chargeRequest({ user_id: userId, amount_cents: 999, payment_token: 'tok_chargeDeclined' })
    await charge(captured)
    await charge(declined)
    const result = await deliver(userDeleted(userId))
    expect(result.explicitAcks).toHaveLength(1)
    expect(await everything()).not.toContain(userId)
    expect((await rowsOf(captured.order_id)).map(({ user_id, status, amount_cents }) => ({ user_id, status, amount_cents }))).toEqual([
      { user_id: DELETED_USER_ID, status: 'captured', amount_cents: 1234 },
    ])
    expect((await rowsOf(declined.order_id))[0]).toMatchObject({ user_id: DELETED_USER_ID, status: 'declined', amount_cents: 999 })
    // The former owner no longer sees them; an admin still does.
    expect((await callPayments(`/api/v1/payments?order_id=${captured.order_id}`, { principal: customer(userId) })).status).toBe(404)
    expect(
      (
        await callPayments(`/api/v1/payments?order_id=${captured.order_id}`, {
          principal: { id: 'usr_admin', roles: ['customer', 'admin'] },
        })
      ).status,
    ).toBe(200)
  })

  it('anonymises a charge the saga makes after the deletion', async () => {
    const userId = newUserId()
    await deliver(userDeleted(userId))
    const late = chargeRequest({ user_id: userId })
    expect((await charge(late)).ok).toBe(true)
    expect((await rowsOf(late.order_id))[0]).toMatchObject({ user_id: DELETED_USER_ID, status: 'captured' })
  })

  it('changes nothing more when delivered twice', async () => {
    const userId = newUserId()
    await charge(chargeRequest({ user_id: userId }))
    const deleted = userDeleted(userId)
    await deliver(deleted)
    const before = await everything()
    const result = await deliver(deleted, userDeleted(userId))
    expect(result.explicitAcks).toHaveLength(2)
    expect(await everything()).toBe(before)
  })
})
