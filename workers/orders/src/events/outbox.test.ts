import { describe, expect, it } from 'vitest'
import { CloudEventSchema, EVENT_TYPES, OrderSnapshotV1 } from '../../../../shared-contracts/events'
import type { Order } from '../../../../shared-contracts/orders'
import { subscribersOf } from '../../../../shared-contracts/subscriptions'
import {
  customer,
  fetchWith,
  ordersRequest,
  placeOrder,
  seedProduct,
  settle,
  shardOfOrder,
  shardOfUser,
  testEnv,
} from '../../../../test/support/orders'

interface OutboxRow {
  type: string
  envelope: string
  created_at: string
  sent_at: string | null
  attempts: number
}

/** The order's events, on its user's shard. */
const outboxOf = async (orderId: string) =>
  (
    await (
      await shardOfOrder(orderId)
    )
      .prepare(
        "SELECT type, envelope, created_at, sent_at, attempts FROM outbox WHERE json_extract(envelope, '$.subject') = ?1 ORDER BY created_at",
      )
      .bind(orderId)
      .all<OutboxRow>()
  ).results

/** Places a one-item order paid with `token`, runs its saga to the end, and answers its events once all are sent. */
async function sentEventsOfAnOrder(token: string): Promise<OutboxRow[]> {
  const product = await seedProduct()
  const placed = await placeOrder(customer(), { items: [{ product_id: product, quantity: 1 }], payment_token: token })
  const order = (await placed.json()) as Order
  await settle(order.id)
  await expect.poll(async () => (await outboxOf(order.id)).every((row) => row.sent_at !== null), { timeout: 5_000 }).toBe(true)
  return outboxOf(order.id)
}

describe('the orders outbox', () => {
  it('order.placed then order.confirmed: full snapshots with versions, relayed without waiting for the sweep', async () => {
    const product = await seedProduct({ price: 999 })
    const user = customer()
    const order = (await (
      await placeOrder(user, { items: [{ product_id: product, quantity: 3 }], payment_token: 'tok_visa' })
    ).json()) as Order
    await settle(order.id)
    const rows = await outboxOf(order.id)
    expect(rows.map((row) => row.type)).toEqual([EVENT_TYPES.orderPlaced, EVENT_TYPES.orderConfirmed])
    const [placed, confirmed] = rows.map((row) => CloudEventSchema.parse(JSON.parse(row.envelope)))
    expect(placed).toMatchObject({ source: '/services/orders', subject: order.id })
    expect(OrderSnapshotV1.parse(placed!.data)).toMatchObject({
      order_id: order.id,
      user_id: user.id,
      status: 'pending',
      total_cents: 2997,
      version: 1,
    })
    expect(OrderSnapshotV1.parse(confirmed!.data)).toMatchObject({ status: 'confirmed', version: 2, created_at: order.created_at })
    await expect.poll(async () => (await outboxOf(order.id)).every((row) => row.sent_at !== null), { timeout: 5_000 }).toBe(true)
  })

  it('order.placed leaves with the saga’s first relay: sent once, marked with order.confirmed by one statement', async () => {
    const rows = await sentEventsOfAnOrder('tok_visa')
    expect(rows.map((row) => row.attempts)).toEqual([1, 1])
    expect(rows[0]!.sent_at).toBe(rows[1]!.sent_at)
  })

  it('order.placed leaves when the saga first has to wait, before the order is confirmed', async () => {
    // The charge fails transiently twice: the saga waits for its retry before it can confirm.
    const [placedEvent, confirmed] = await sentEventsOfAnOrder('tok_transientError_2')
    expect(confirmed!.type).toBe(EVENT_TYPES.orderConfirmed)
    expect(placedEvent!.sent_at! < confirmed!.created_at).toBe(true)
  })

  it('order.placed leaves with the request that placed it when the saga could not be started', async () => {
    // A stand-in for a coordinator that cannot be reached (an overloaded or restarting object:
    // workerd offers no way to make a real one fail its start).
    const unreachable = {
      idFromName: (name: string) => testEnv.SAGAS.idFromName(name),
      get: () => ({ start: () => Promise.reject(new Error('stand-in: the saga coordinator cannot be reached')) }),
    } as unknown as typeof testEnv.SAGAS
    const user = customer()
    const body = { items: [{ product_id: await seedProduct(), quantity: 1 }], payment_token: 'tok_visa' }
    const key = crypto.randomUUID()
    const place = async () =>
      fetchWith(
        { ...testEnv, SAGAS: unreachable },
        await ordersRequest('/api/v1/orders', { method: 'POST', principal: user, body, headers: { 'Idempotency-Key': key } }),
      )
    const refused = await place()
    expect([refused.status, refused.headers.get('content-type'), refused.headers.get('retry-after')]).toEqual([
      503,
      'application/problem+json',
      '5',
    ])
    expect(((await refused.json()) as { code: string }).code).toBe('dependency_unavailable')
    const pending = await shardOfUser(user.id)
      .prepare("SELECT id FROM orders WHERE user_id = ?1 AND status = 'pending'")
      .bind(user.id)
      .first<{ id: string }>()
    expect(pending).not.toBeNull()
    // Sent by the relay after that response, once: not left to the sweep once the writer's claim lapses.
    expect((await outboxOf(pending!.id)).map((row) => [row.type, row.sent_at !== null, row.attempts])).toEqual([
      [EVENT_TYPES.orderPlaced, true, 1],
    ])
    // A retry while the coordinator is still out of reach: the same 503, and still the one order.
    expect((await place()).status).toBe(503)
    const orders = await shardOfUser(user.id).prepare('SELECT id FROM orders WHERE user_id = ?1').bind(user.id).all<{ id: string }>()
    expect(orders.results).toEqual([{ id: pending!.id }])
    // The client's retry with the same key starts the saga: the order is confirmed, its placement not sent again.
    expect((await placeOrder(user, body, key)).status).toBe(202)
    await settle(pending!.id)
    const rows = await outboxOf(pending!.id)
    expect(rows.map((row) => row.type)).toEqual([EVENT_TYPES.orderPlaced, EVENT_TYPES.orderConfirmed])
    expect(rows[0]!.attempts).toBe(1)
  })

  it('order.cancelled carries the reason', async () => {
    const product = await seedProduct({ stock: 0 })
    const order = (await (
      await placeOrder(customer(), { items: [{ product_id: product, quantity: 1 }], payment_token: 'tok_visa' })
    ).json()) as Order
    await settle(order.id)
    const rows = await outboxOf(order.id)
    expect(rows.map((row) => row.type)).toEqual([EVENT_TYPES.orderPlaced, EVENT_TYPES.orderCancelled])
    expect(JSON.parse(rows[1]!.envelope).data).toMatchObject({ status: 'cancelled', cancellation_reason: 'out_of_stock', version: 2 })
  })

  it('order events reach this service (read model) and notifications', () => {
    expect(subscribersOf(EVENT_TYPES.orderPlaced)).toEqual(['orders'])
    expect(subscribersOf(EVENT_TYPES.orderConfirmed).sort()).toEqual(['notifications', 'orders'])
    expect(subscribersOf(EVENT_TYPES.orderCancelled).sort()).toEqual(['notifications', 'orders'])
  })
})
