import { describe, expect, it } from 'vitest'
import type { Order } from '../../../../shared-contracts/orders'
import { customer, deliver, orderShards, placeOrder, seedProduct, settle, shardOfOrder } from '../../../../test/support/orders'
import { EVENTS_QUEUE } from './queue'

interface ViewRow {
  status: string
  version: number
  updated_at: string
  applied_at: string | null
}

// Each order's rows are on its user's shard (docs/adr/0067).
const viewOf = async (orderId: string) =>
  (await shardOfOrder(orderId))
    .prepare('SELECT status, version, updated_at, applied_at FROM order_views WHERE order_id = ?1')
    .bind(orderId)
    .first<ViewRow>()
const aggregateOf = async (orderId: string) =>
  (await shardOfOrder(orderId))
    .prepare('SELECT status, version, updated_at FROM orders WHERE id = ?1')
    .bind(orderId)
    .first<Omit<ViewRow, 'applied_at'>>()

async function envelopesOf(orderId: string): Promise<{ id: string }[]> {
  const rows = await (await shardOfOrder(orderId))
    .prepare("SELECT envelope FROM outbox WHERE json_extract(envelope, '$.subject') = ?1 ORDER BY created_at, id")
    .bind(orderId)
    .all<{ envelope: string }>()
  return rows.results.map((row) => JSON.parse(row.envelope) as { id: string })
}

async function settledOrder(token: string): Promise<Order> {
  const response = await placeOrder(customer(), { items: [{ product_id: await seedProduct(), quantity: 1 }], payment_token: token })
  expect(response.status).toBe(202)
  const order = (await response.json()) as Order
  await settle(order.id)
  return order
}

/** As if the consumer had never seen this order's events (the relay may already have delivered them). */
async function forget(orderId: string, events: { id: string }[]): Promise<void> {
  const db = await shardOfOrder(orderId)
  await db.batch([
    db.prepare('DELETE FROM order_views WHERE order_id = ?1').bind(orderId),
    ...events.map((event) => db.prepare('DELETE FROM inbox WHERE id = ?1').bind(event.id)),
  ])
}

/** The inbox rows of these events, on every shard. */
async function inboxRows(ids: string[]): Promise<number> {
  const counts = await Promise.all(
    orderShards().map(
      async (db) =>
        (await db
          .prepare(`SELECT count(*) AS n FROM inbox WHERE id IN (${ids.map((_, i) => `?${i + 1}`).join(', ')})`)
          .bind(...ids)
          .first<{ n: number }>())!.n,
    ),
  )
  return counts.reduce((sum, n) => sum + n, 0)
}

describe('the read model applies a queue batch in one write', () => {
  it('applies a shuffled batch with duplicates once: every view at its aggregate, one inbox row per event', async () => {
    const confirmed = await settledOrder('tok_visa')
    const cancelled = await settledOrder('tok_declined')
    const events = [...(await envelopesOf(confirmed.id)), ...(await envelopesOf(cancelled.id))]
    await forget(confirmed.id, events)
    await forget(cancelled.id, events)
    expect(events.length).toBeGreaterThanOrEqual(4) // placed and settled, for each order
    // Newest first, and every event twice: versions decide, the inbox deduplicates.
    const batch = [...events].reverse().flatMap((event) => [event, event])

    const result = await deliver(EVENTS_QUEUE, batch)

    expect(result.explicitAcks).toHaveLength(batch.length)
    expect(result.retryMessages).toEqual([])
    for (const order of [confirmed, cancelled]) {
      const view = await viewOf(order.id)
      const aggregate = await aggregateOf(order.id)
      expect({ status: view?.status, version: view?.version, updated_at: view?.updated_at }).toEqual(aggregate)
    }
    expect((await viewOf(confirmed.id))?.status).toBe('confirmed')
    expect((await viewOf(cancelled.id))?.status).toBe('cancelled')
    expect(await inboxRows(events.map((event) => event.id))).toBe(events.length)
  })

  it('stamps when each version reached the view, never before its aggregate changed', async () => {
    const order = await settledOrder('tok_visa')
    const events = await envelopesOf(order.id)
    await forget(order.id, events)
    await deliver(EVENTS_QUEUE, events)
    const view = (await viewOf(order.id))!
    expect(view.applied_at).not.toBeNull()
    expect(Date.parse(view.applied_at!)).toBeGreaterThanOrEqual(Date.parse(view.updated_at))
  })

  it('acks a batch delivered again without writing anything', async () => {
    const order = await settledOrder('tok_visa')
    const events = await envelopesOf(order.id)
    await forget(order.id, events)
    await deliver(EVENTS_QUEUE, events)
    const before = (await viewOf(order.id))!

    const again = await deliver(EVENTS_QUEUE, events)

    expect(again.explicitAcks).toHaveLength(events.length)
    expect(await viewOf(order.id)).toEqual(before)
    expect(await inboxRows(events.map((event) => event.id))).toBe(events.length)
  })

  it('retries a malformed message on its own while the rest of its batch lands', async () => {
    const order = await settledOrder('tok_visa')
    const events = await envelopesOf(order.id)
    await forget(order.id, events)
    const malformed = { ...events[0], id: `evt_${crypto.randomUUID()}`, data: { order_id: 42 } }

    const result = await deliver(EVENTS_QUEUE, [malformed, ...events])

    expect(result.retryMessages).toHaveLength(1)
    expect(result.explicitAcks).toHaveLength(events.length)
    expect((await viewOf(order.id))?.version).toBe((await aggregateOf(order.id))?.version)
  })
})
