import { describe, expect, it } from 'vitest'
import type { Order } from '../../../../shared-contracts/orders'
import { createLogger } from '../../../../platform/telemetry/log'
import { createViewRepairRepo } from '../repo/view-repair-repo'
import { reconcileReadModel, RECONCILE_LAG_MS } from '../service/read-model-repair'
import { admin, callOrders, customer, feedReadModel, placeOrder, seedProduct, settle, shardOfOrder } from '../../../../test/support/orders'

async function settledOrder(token = 'tok_visa', user = customer()): Promise<Order> {
  const product = await seedProduct()
  const response = await placeOrder(user, { items: [{ product_id: product, quantity: 1 }], payment_token: token })
  expect(response.status).toBe(202)
  const order = (await response.json()) as Order
  await settle(order.id)
  return order
}

interface ViewRow {
  order_id: string
  status: string
  version: number
  cancellation_reason: string | null
}

/** A statement on the shard of the order (docs/adr/0067), bound to it as ?1 and to `more` after. */
const onOrder = async (orderId: string, sql: string, ...more: unknown[]) =>
  (await shardOfOrder(orderId)).prepare(sql).bind(orderId, ...more)

const viewOf = async (orderId: string) =>
  (await onOrder(orderId, 'SELECT order_id, status, version, cancellation_reason FROM order_views WHERE order_id = ?1')).first<ViewRow>()
const aggregateOf = async (orderId: string) =>
  (await onOrder(orderId, 'SELECT id AS order_id, status, version, cancellation_reason FROM orders WHERE id = ?1')).first<ViewRow>()
/** The inbox rows of one order's own events (the project's files share one database). */
const inboxCountOf = async (orderId: string) =>
  (await (
    await onOrder(
      orderId,
      "SELECT count(*) AS n FROM inbox WHERE id IN (SELECT id FROM outbox WHERE json_extract(envelope, '$.subject') = ?1)",
    )
  ).first<{ n: number }>())!.n

/** As if the consumer never got this order's events: its view row and inbox rows gone. */
async function dropConsumed(orderId: string): Promise<void> {
  await (await shardOfOrder(orderId)).batch([
    await onOrder(orderId, 'DELETE FROM order_views WHERE order_id = ?1'),
    await onOrder(orderId, "DELETE FROM inbox WHERE id IN (SELECT id FROM outbox WHERE json_extract(envelope, '$.subject') = ?1)"),
  ])
}

const replay = (body: unknown) => callOrders('/internal/events/replay', { method: 'POST', principal: admin, body })

describe('recovering the read model', () => {
  it('a replay fills in the events a consumer lost, and changes nothing it had applied', async () => {
    const since = new Date().toISOString()
    const kept = await settledOrder()
    const lost = await settledOrder('tok_chargeDeclined')
    await feedReadModel()
    const keptView = await viewOf(kept.id)
    expect(keptView).toEqual(await aggregateOf(kept.id))
    await dropConsumed(lost.id)
    const keptInbox = await inboxCountOf(kept.id)
    expect(await inboxCountOf(lost.id)).toBe(0)

    const response = await replay({ since, service: 'orders' })
    expect(response.status).toBe(200)
    // Both orders' placed and cancelled/confirmed events (and whatever other tests wrote since).
    expect(((await response.json()) as { replayed: number }).replayed).toBeGreaterThanOrEqual(4)

    // The real queue delivers the replay to the real consumer.
    await expect.poll(() => viewOf(lost.id), { timeout: 10_000, interval: 100 }).toEqual(await aggregateOf(lost.id))
    expect(await viewOf(kept.id)).toEqual(keptView)
    // The lost order's two events were applied again; the kept order's were not applied twice.
    await expect.poll(() => inboxCountOf(lost.id), { timeout: 10_000, interval: 100 }).toBe(2)
    expect(await inboxCountOf(kept.id)).toBe(keptInbox)
    expect(await viewOf(lost.id)).toMatchObject({ status: 'cancelled', cancellation_reason: 'payment_declined', version: 2 })
  })

  it('refuses a replay without a valid since, or of a type this service does not publish, with a 400', async () => {
    for (const body of [
      {},
      { since: 'yesterday' },
      { since: new Date().toISOString(), type: 'com.edgecommerce.user.registered.v1', service: 'orders' },
      { since: new Date().toISOString(), extra: 1 },
    ]) {
      const response = await replay(body)
      expect(response.status).toBe(400)
      expect(response.headers.get('Content-Type')).toContain('application/problem+json')
      expect(((await response.json()) as { code: string }).code).toBe('validation_failed')
    }
  })

  it('the rebuild repairs a corrupted view row and a missing one, and leaves correct rows alone', async () => {
    const confirmed = await settledOrder()
    const cancelled = await settledOrder('tok_chargeDeclined')
    await feedReadModel()
    // Corrupted at the same version (no event would ever fix it), and one row lost.
    await (await onOrder(confirmed.id, "UPDATE order_views SET status = 'pending', total_cents = 1 WHERE order_id = ?1")).run()
    await (await onOrder(cancelled.id, 'DELETE FROM order_views WHERE order_id = ?1')).run()

    const response = await callOrders('/internal/read-models/orders/rebuild', { method: 'POST', principal: admin })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { rebuilt: number }).rebuilt).toBeGreaterThanOrEqual(2)
    expect(await viewOf(confirmed.id)).toEqual(await aggregateOf(confirmed.id))
    expect(await viewOf(cancelled.id)).toEqual(await aggregateOf(cancelled.id))

    // Nothing left to repair: a second rebuild writes no row.
    const again = await callOrders('/internal/read-models/orders/rebuild', { method: 'POST', principal: admin })
    expect(await again.json()).toEqual({ rebuilt: 0 })
  })

  it('the rebuild never writes a view that is ahead of the aggregate it read', async () => {
    const order = await settledOrder()
    await feedReadModel()
    await (await onOrder(order.id, "UPDATE order_views SET version = 9, status = 'cancelled' WHERE order_id = ?1")).run()
    await callOrders('/internal/read-models/orders/rebuild', { method: 'POST', principal: admin })
    expect(await viewOf(order.id)).toMatchObject({ version: 9, status: 'cancelled' })
  })

  it('is for admins only', async () => {
    expect((await callOrders('/internal/read-models/orders/rebuild', { method: 'POST', principal: customer() })).status).toBe(403)
    expect(
      (await callOrders('/internal/events/replay', { method: 'POST', principal: customer(), body: { since: new Date().toISOString() } }))
        .status,
    ).toBe(403)
  })

  it('reconciliation repairs views lagging their aggregate by more than the bound, counts them, and leaves younger lag to the events', async () => {
    // One user's two orders: one shard, which the reconciliation below passes over.
    const user = customer()
    const old = await settledOrder('tok_visa', user)
    const young = await settledOrder('tok_visa', user)
    await feedReadModel()
    // The old order's confirmation never reached the view (still version 1, pending); the young one's neither.
    for (const id of [old.id, young.id])
      await (await onOrder(id, "UPDATE order_views SET version = 1, status = 'pending' WHERE order_id = ?1")).run()
    const lastChange = Date.parse(
      (await (await onOrder(old.id, 'SELECT updated_at FROM orders WHERE id = ?1')).first<{ updated_at: string }>())!.updated_at,
    )
    const points: AnalyticsEngineDataPoint[] = []
    const metrics = { writeDataPoint: (point: AnalyticsEngineDataPoint) => void points.push(point) }

    // At the old order's change + the bound + 1 s: the young one (changed later) may be younger than the bound.
    await (await shardOfOrder(old.id))
      .prepare('UPDATE orders SET updated_at = ?1 WHERE id = ?2')
      .bind(new Date(lastChange - RECONCILE_LAG_MS).toISOString(), old.id)
      .run()
    const lines: string[] = []
    const log = createLogger('orders', { sink: (_level, line) => void lines.push(line) })
    const repaired = await reconcileReadModel(createViewRepairRepo(await shardOfOrder(old.id)), lastChange + 1_000, { metrics, log })

    expect(repaired).toBeGreaterThanOrEqual(1)
    expect(await viewOf(old.id)).toEqual(await aggregateOf(old.id))
    expect(await viewOf(young.id)).toMatchObject({ version: 1, status: 'pending' })
    expect(points).toEqual([expect.objectContaining({ blobs: ['read_model_repaired', 'orders', 'order_views'], doubles: [repaired] })])
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ message: 'read model rows repaired', repaired }),
    ])
  })
})
