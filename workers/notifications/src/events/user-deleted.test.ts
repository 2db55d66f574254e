import { describe, expect, it } from 'vitest'
import { createEvent } from '../../../../platform/events/envelope'
import { DELETED_USER_ID, EVENT_TYPES } from '../../../../shared-contracts/events'
import {
  customer,
  DEAD_LETTER_QUEUE,
  deliver,
  deliverEvents,
  listNotifications,
  orderEvent,
  testEnv,
  userRegistered,
} from '../../../../test/support/notifications'

const userDeleted = (user_id: string) =>
  createEvent({
    service: 'users',
    type: EVENT_TYPES.userDeleted,
    subject: user_id,
    data: { user_id, deleted_at: new Date().toISOString() },
  })

/** Every row of the tables that can hold a person's details, as text. */
async function everything(): Promise<string> {
  const tables = ['contacts', 'notifications', 'dead_letters']
  const results = await testEnv.DB.batch(tables.map((table) => testEnv.DB.prepare(`SELECT * FROM ${table}`)))
  return JSON.stringify(results.map((result) => result.results))
}

/** Every row that mentions the user (the project's files share one database: others' rows may change meanwhile). */
async function rowsOf(userId: string): Promise<string> {
  const tables = JSON.parse(await everything()) as unknown[][]
  return JSON.stringify(tables.map((rows) => rows.filter((row) => JSON.stringify(row).includes(userId))))
}

describe('user.deleted', () => {
  it("removes the user's contact, notifications and dead letters, and nobody else's", async () => {
    const [gone, kept] = [customer(), customer()]
    await deliverEvents(
      userRegistered({ user_id: gone.id, email: `leaving-${gone.id}@example.com`, name: 'Leaving Person' }),
      userRegistered({ user_id: kept.id, email: `staying-${kept.id}@example.com`, name: 'Staying Person' }),
      orderEvent(EVENT_TYPES.orderConfirmed, { user_id: gone.id }),
    )
    await deliver(DEAD_LETTER_QUEUE, [{ body: orderEvent(EVENT_TYPES.orderCancelled, { user_id: gone.id }), attempts: 4 }])
    expect((await listNotifications(gone)).items).toHaveLength(2)
    expect(await everything()).toContain(`leaving-${gone.id}@example.com`)

    const { result, ids } = await deliverEvents(userDeleted(gone.id))
    expect(result.explicitAcks).toEqual(ids)
    expect((await listNotifications(gone)).items).toEqual([])
    const stored = await everything()
    expect(stored).not.toContain(`leaving-${gone.id}@example.com`)
    expect(stored).not.toContain('Leaving Person')
    expect(stored).not.toContain(gone.id)
    expect(stored).toContain(`staying-${kept.id}@example.com`)
    expect((await listNotifications(kept)).items).toHaveLength(1)
  })

  it('lets no late event bring the person back: an order outcome is acked and sends nothing, a replayed registration keeps no contact', async () => {
    const user = customer()
    const registered = userRegistered({ user_id: user.id, email: `late-${user.id}@example.com`, name: 'Late Person' })
    await deliverEvents(registered)
    await deliverEvents(userDeleted(user.id))
    const late = [
      orderEvent(EVENT_TYPES.orderConfirmed, { user_id: user.id }),
      orderEvent(EVENT_TYPES.orderCancelled, { user_id: user.id }),
      userRegistered({ user_id: user.id, email: `late-${user.id}@example.com`, name: 'Late Person' }),
    ]
    const { result, ids } = await deliverEvents(...late)
    expect(result.explicitAcks).toEqual(ids)
    expect(result.retryMessages).toEqual([])
    expect((await listNotifications(user)).items).toEqual([])
    expect(await everything()).not.toContain(`late-${user.id}@example.com`)
  })

  it('changes nothing more when delivered twice', async () => {
    const user = customer()
    await deliverEvents(userRegistered({ user_id: user.id }))
    const deleted = userDeleted(user.id)
    await deliverEvents(deleted)
    const before = await rowsOf(user.id)
    const { result, ids } = await deliverEvents(deleted, userDeleted(user.id))
    expect(result.explicitAcks).toEqual(ids)
    expect(await rowsOf(user.id)).toBe(before)
  })

  it('sends nothing for an order whose user orders has already anonymised, and does not retry it', async () => {
    const { result, ids } = await deliverEvents(orderEvent(EVENT_TYPES.orderConfirmed, { user_id: DELETED_USER_ID }))
    expect(result.explicitAcks).toEqual(ids)
    expect(result.retryMessages).toEqual([])
    expect(await everything()).not.toContain(DELETED_USER_ID)
  })

  it("keeps the database from writing an erased user's contact even when a handler raced the erasure", async () => {
    const user = customer()
    await deliverEvents(userDeleted(user.id))
    await testEnv.DB.prepare(
      "INSERT INTO contacts (user_id, email, name, updated_at) VALUES (?1, 'raced@example.com', 'Raced', '2026-01-01')",
    )
      .bind(user.id)
      .run()
    expect(await everything()).not.toContain('raced@example.com')
  })
})
