import { describe, expect, it } from 'vitest'
import { CloudEventSchema, EVENT_TYPES, OrderSnapshotV1 } from '../../../../shared-contracts/events'
import type { Order } from '../../../../shared-contracts/orders'
import { subscribersOf } from '../../../../shared-contracts/subscriptions'
import { setPointFault } from '../../../../platform/faults/fault-points'
import { failedInObject } from '../../../../platform/resilience/object-errors'
import {
  customer,
  fetchWith,
  ordersRequest,
  placeOrder,
  sagaStub,
  sagasFailingWith,
  seedProduct,
  settle,
  shardOfOrder,
  shardOfUser,
  testEnv,
} from '../../../../test/support/orders'
import { sagaStartFaultPoint } from '../services'

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

/** A placement handed to orders with `sagas` as its coordinators. */
async function placeWith(sagas: typeof testEnv.SAGAS, user: ReturnType<typeof customer>, body: unknown, key: string) {
  const request = await ordersRequest('/api/v1/orders', { method: 'POST', principal: user, body, headers: { 'Idempotency-Key': key } })
  return fetchWith({ ...testEnv, SAGAS: sagas }, request)
}

const ordersOf = async (userId: string) =>
  (await shardOfUser(userId).prepare('SELECT id FROM orders WHERE user_id = ?1').bind(userId).all<{ id: string }>()).results.map(
    (row) => row.id,
  )

/** Each of the order's events with whether it was sent and in how many attempts. */
const sendStateOf = async (orderId: string) => (await outboxOf(orderId)).map((row) => [row.type, row.sent_at !== null, row.attempts])

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

  it('accepts the order, and sends order.placed with its request, when the call that starts its saga fails', async () => {
    const user = customer()
    const body = { items: [{ product_id: await seedProduct(), quantity: 1 }], payment_token: 'tok_visa' }
    const key = crypto.randomUUID()
    setPointFault(sagaStartFaultPoint(user.id), 'error')
    try {
      const accepted = await placeOrder(user, body, key)
      expect(accepted.status).toBe(202)
      const order = (await accepted.json()) as Order
      expect(order.status).toBe('pending')
      // Sent by the relay after that response, once: not left to the sweep once the writer's claim lapses.
      expect(await sendStateOf(order.id)).toEqual([[EVENT_TYPES.orderPlaced, true, 1]])
      // The same key while the coordinator is still out of reach: the same answer, the one order.
      const again = await placeOrder(user, body, key)
      expect([again.status, ((await again.json()) as Order).id]).toEqual([202, order.id])
      expect(await ordersOf(user.id)).toEqual([order.id])
      setPointFault(sagaStartFaultPoint(user.id), null)
      // Once it can be reached, a retry with the key (or the saga sweep) starts the saga: confirmed, its placement not sent again.
      expect((await placeOrder(user, body, key)).status).toBe(202)
      expect((await settle(order.id)).status).toBe('completed')
      expect((await outboxOf(order.id)).map((row) => [row.type, row.attempts])).toEqual([
        [EVENT_TYPES.orderPlaced, 1],
        [EVENT_TYPES.orderConfirmed, 1],
      ])
    } finally {
      setPointFault(sagaStartFaultPoint(user.id), null)
    }
  })

  it('accepts the order when its saga started but the answer was lost, and the saga runs on', async () => {
    const user = customer()
    const body = { items: [{ product_id: await seedProduct(), quantity: 1 }], payment_token: 'tok_visa' }
    setPointFault(sagaStartFaultPoint(user.id), 'lost_answer')
    try {
      const accepted = await placeOrder(user, body)
      expect(accepted.status).toBe(202)
      const order = (await accepted.json()) as Order
      expect((await settle(order.id)).status).toBe('completed')
      // Both the request's relay and the saga's may have sent order.placed: at least once (docs/adr/0075).
      expect((await sendStateOf(order.id)).map(([type, sent]) => [type, sent])).toEqual([
        [EVENT_TYPES.orderPlaced, true],
        [EVENT_TYPES.orderConfirmed, true],
      ])
    } finally {
      setPointFault(sagaStartFaultPoint(user.id), null)
    }
  })

  it("takes a real coordinator's own throw for what the stand-in below throws", async () => {
    // A start without its input fails in the coordinator's code: the runtime marks the error remote.
    const thrown: unknown = await sagaStub(`ord_${crypto.randomUUID()}`)
      .start(undefined as never)
      .catch((error: unknown) => error)
    expect(failedInObject(thrown)).toBe(true)
  })

  it("answers 500 when the coordinator's own code fails the start, and still sends order.placed once", async () => {
    const user = customer()
    const body = { items: [{ product_id: await seedProduct(), quantity: 1 }], payment_token: 'tok_visa' }
    const bug = Object.assign(new Error('stand-in: the coordinator threw'), { remote: true })
    const failed = await placeWith(sagasFailingWith(bug), user, body, crypto.randomUUID())
    expect([failed.status, failed.headers.get('content-type')]).toEqual([500, 'application/problem+json'])
    const [id] = await ordersOf(user.id)
    expect(await sendStateOf(id!)).toEqual([[EVENT_TYPES.orderPlaced, true, 1]])
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
