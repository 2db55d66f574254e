import { describe, expect, it } from 'vitest'
import { applyRetention, DEAD_LETTER_RETENTION_MS, eventRules, REPLAY_WINDOW_MS } from '../../../../platform/events/retention'
import type { Order } from '../../../../shared-contracts/orders'
import { maintainOrders, ordersRetentionRules } from './maintenance'
import {
  customer,
  feedReadModel,
  orderShards,
  placeOrder,
  seedProduct,
  settle,
  shardOfUser,
  testEnv,
} from '../../../../test/support/orders'

const DAY = 24 * 60 * 60 * 1000
const iso = (ms: number) => new Date(ms).toISOString()
// Rows written here without a user go to shard 0; customers' rows are on their own shards.
const db = testEnv.DB
/** A count over every shard. */
const count = async (sql: string, ...params: unknown[]) => {
  const counts = await Promise.all(
    orderShards().map(
      async (shard) =>
        (await shard
          .prepare(sql)
          .bind(...params)
          .first<{ n: number }>())!.n,
    ),
  )
  return counts.reduce((sum, n) => sum + n, 0)
}

async function outboxRow(createdAt: number, sentAt: number | null): Promise<string> {
  const id = crypto.randomUUID()
  await db
    .prepare("INSERT INTO outbox (id, type, envelope, created_at, sent_at) VALUES (?1, 'com.edgecommerce.order.placed.v1', '{}', ?2, ?3)")
    .bind(id, iso(createdAt), sentAt === null ? null : iso(sentAt))
    .run()
  return id
}

async function inboxRow(processedAt: number): Promise<string> {
  const id = crypto.randomUUID()
  await db.prepare("INSERT INTO inbox (source, id, type, processed_at) VALUES ('/test', ?1, 'test', ?2)").bind(id, iso(processedAt)).run()
  return id
}

async function deadLetter(receivedAt: number, replayedAt: number | null): Promise<string> {
  const id = `msg-${crypto.randomUUID()}`
  await db
    .prepare("INSERT INTO dead_letters (id, body, attempts, received_at, replayed_at) VALUES (?1, '{}', 4, ?2, ?3)")
    .bind(id, iso(receivedAt), replayedAt === null ? null : iso(replayedAt))
    .run()
  return id
}

const exists = async (table: string, id: string) => (await count(`SELECT count(*) AS n FROM ${table} WHERE id = ?1`, id)) === 1
const rules = ordersRetentionRules(testEnv)

describe('retention: what orders keeps, and for how long', () => {
  it('sent outbox rows go after the 7-day window; younger ones and unsent ones stay', async () => {
    const now = Date.now()
    const old = await outboxRow(now - 8 * DAY, now - 8 * DAY)
    const young = await outboxRow(now - 6 * DAY, now - 6 * DAY)
    const unsent = await outboxRow(now - 30 * DAY, null)
    const report = await applyRetention('orders', db, rules, { now })
    expect(report.outbox).toBeGreaterThanOrEqual(1)
    expect([await exists('outbox', old), await exists('outbox', young), await exists('outbox', unsent)]).toEqual([false, true, true])
    // They are no events: later tests feed the whole outbox to the read model.
    await db.prepare('DELETE FROM outbox WHERE id IN (?1, ?2)').bind(young, unsent).run()
  })

  it('inbox rows go after the 7-day window, younger ones stay', async () => {
    const now = Date.now()
    const old = await inboxRow(now - 7 * DAY - 1_000)
    const young = await inboxRow(now - 7 * DAY + 60_000)
    await applyRetention('orders', db, rules, { now })
    expect([await exists('inbox', old), await exists('inbox', young)]).toEqual([false, true])
  })

  it('dead letters go after 30 days, or a day after their replay; the rest stay', async () => {
    const now = Date.now()
    const old = await deadLetter(now - DEAD_LETTER_RETENTION_MS - 1_000, null)
    const replayed = await deadLetter(now - 3 * DAY, now - 2 * DAY)
    const justReplayed = await deadLetter(now - 3 * DAY, now - 60_000)
    const recent = await deadLetter(now - 29 * DAY, null)
    await applyRetention('orders', db, rules, { now })
    expect(await Promise.all([old, replayed, justReplayed, recent].map((id) => exists('dead_letters', id)))).toEqual([
      false,
      false,
      true,
      true,
    ])
  })

  it('deletes in bounded batches: a pass takes at most batchSize × maxBatches rows per rule, the next pass the rest', async () => {
    const now = Date.now()
    const ids = await Promise.all(Array.from({ length: 7 }, () => inboxRow(now - 9 * DAY)))
    const first = await applyRetention('orders', db, [eventRules.inbox(7 * DAY)], { now, batchSize: 3, maxBatches: 2 })
    expect(first.inbox).toBe(6)
    expect((await Promise.all(ids.map((id) => exists('inbox', id)))).filter(Boolean)).toHaveLength(1)
    expect((await applyRetention('orders', db, [eventRules.inbox(7 * DAY)], { now, batchSize: 3, maxBatches: 2 })).inbox).toBe(1)
  })

  it('an Idempotency-Key answers its stored response for 24 h; after that the same key places a new order', async () => {
    const product = await seedProduct({ stock: 10 })
    const user = customer()
    const body = { items: [{ product_id: product, quantity: 1 }], payment_token: 'tok_visa' }
    const key = crypto.randomUUID()
    const first = (await (await placeOrder(user, body, key)).json()) as Order
    await settle(first.id)
    expect(((await (await placeOrder(user, body, key)).json()) as Order).id).toBe(first.id)

    // The key's record as if written just over the replay window ago.
    await shardOfUser(user.id)
      .prepare('UPDATE idempotency_keys SET created_at = ?1 WHERE user_id = ?2 AND key = ?3')
      .bind(iso(Date.now() - REPLAY_WINDOW_MS - 1_000), user.id, key)
      .run()
    const later = await placeOrder(user, body, key)
    expect(later.status).toBe(202)
    const second = (await later.json()) as Order
    expect(second.id).not.toBe(first.id)
    await settle(second.id)
  }, 30_000)

  it('after many orders and a retention pass past the windows, the event and key tables hold nothing of that history', async () => {
    const product = await seedProduct({ stock: 100 })
    const placed: Order[] = []
    for (let i = 0; i < 12; i++) {
      const response = await placeOrder(customer(), {
        items: [{ product_id: product, quantity: 1 }],
        payment_token: i % 4 === 0 ? 'tok_chargeDeclined' : 'tok_visa',
      })
      placed.push((await response.json()) as Order)
    }
    for (const order of placed) await settle(order.id)
    await feedReadModel()
    // This test's rows only: the project's files share one database (vitest.config.ts).
    const orderIds = JSON.stringify(placed.map((order) => order.id))
    const ownEvents = "SELECT id FROM outbox WHERE json_extract(envelope, '$.subject') IN (SELECT value FROM json_each(?1))"
    const own = await Promise.all(orderShards().map((shard) => shard.prepare(ownEvents).bind(orderIds).all<{ id: string }>()))
    const eventIds = JSON.stringify(own.flatMap((rows) => rows.results.map(({ id }) => id)))
    const sizes = async () => ({
      outbox: await count(`SELECT count(*) AS n FROM (${ownEvents})`, orderIds),
      inbox: await count('SELECT count(*) AS n FROM inbox WHERE id IN (SELECT value FROM json_each(?1))', eventIds),
      idempotency_keys: await count(
        'SELECT count(*) AS n FROM idempotency_keys WHERE order_id IN (SELECT value FROM json_each(?1))',
        orderIds,
      ),
      orders: await count('SELECT count(*) AS n FROM orders WHERE id IN (SELECT value FROM json_each(?1))', orderIds),
    })
    const before = await sizes()
    expect(before).toMatchObject({ orders: 12, idempotency_keys: 12 })
    expect(before.outbox).toBeGreaterThanOrEqual(24)
    expect(before.inbox).toBeGreaterThanOrEqual(24)

    // Eight days on: everything written so far is past every window (the sweep runs every minute;
    // one pass deletes up to 2,000 rows per rule).
    for (const shard of orderShards()) await maintainOrders(testEnv, shard, Date.now() + 8 * DAY)
    const after = await sizes()
    expect(after).toEqual({ outbox: 0, inbox: 0, idempotency_keys: 0, orders: before.orders })
    // The business records stay, and the read model still shows every order.
    expect(await count('SELECT count(*) AS n FROM order_views WHERE order_id IN (SELECT value FROM json_each(?1))', orderIds)).toBe(12)
  }, 30_000)
})
