import { describe, expect, it } from 'vitest'
import { createEvent } from '../../../../platform/events/envelope'
import { DELETED_USER_ID, EVENT_TYPES } from '../../../../shared-contracts/events'
import type { Order, Saga } from '../../../../shared-contracts/orders'
import {
  callOrders,
  customer,
  deliver,
  feedReadModel,
  orderShards,
  placeOrder,
  seedProduct,
  settle,
  shardOfOrder,
  shardOfUser,
  testEnv,
  unreachableFor,
  userDeletedEvent,
} from '../../../../test/support/orders'
import { placeOrderHost } from '../saga/place-order-host'
import { EVENTS_QUEUE } from './queue'

async function placed(principal: ReturnType<typeof customer>, product: string, token = 'tok_visa'): Promise<Order> {
  const response = await placeOrder(principal, { items: [{ product_id: product, quantity: 2 }], payment_token: token })
  expect(response.status).toBe(202)
  return (await response.json()) as Order
}

/** Every row of every table of every shard of orders' database, as text: where a user id could hide. */
async function everything(): Promise<string> {
  const tables = ['orders', 'order_views', 'idempotency_keys', 'sagas', 'outbox', 'dead_letters']
  const shards = await Promise.all(orderShards().map((db) => db.batch(tables.map((table) => db.prepare(`SELECT * FROM ${table}`)))))
  return JSON.stringify(shards.map((results) => results.map((result) => result.results)))
}

const aggregate = async (id: string) =>
  (await shardOfOrder(id)).prepare('SELECT user_id, status, total_cents FROM orders WHERE id = ?1').bind(id).first()

describe('user.deleted in orders', () => {
  it('keeps the orders with their amounts and outcomes, without the user; a saga still running ends normally', async () => {
    const product = await seedProduct({ price: 700, stock: 50 })
    const user = customer()
    const confirmed = await placed(user, product)
    const cancelled = await placed(user, product, 'tok_chargeDeclined')
    await settle(confirmed.id)
    await settle(cancelled.id)
    await feedReadModel()
    const running = await placed(user, product) // its saga has not run yet

    const result = await deliver(EVENTS_QUEUE, [userDeletedEvent(user.id)])
    expect(result.explicitAcks).toHaveLength(1)
    expect(await everything()).not.toContain(user.id)

    expect(((await settle(running.id)) as Saga).status).toBe('completed')
    await feedReadModel()
    expect(await aggregate(confirmed.id)).toEqual({ user_id: DELETED_USER_ID, status: 'confirmed', total_cents: 1400 })
    expect(await aggregate(cancelled.id)).toEqual({ user_id: DELETED_USER_ID, status: 'cancelled', total_cents: 1400 })
    expect(await aggregate(running.id)).toEqual({ user_id: DELETED_USER_ID, status: 'confirmed', total_cents: 1400 })
    expect(await everything()).not.toContain(user.id)
    // Nobody sees them as theirs any more; an admin still finds them by id.
    expect(await (await callOrders('/api/v1/orders', { principal: user })).json()).toEqual({ items: [], next_cursor: null })
  })

  it('lets no late order event bring the user id back into the read model', async () => {
    const user = customer()
    await deliver(EVENTS_QUEUE, [userDeletedEvent(user.id)])
    const at = new Date().toISOString()
    const late = createEvent({
      service: 'orders',
      type: EVENT_TYPES.orderConfirmed,
      subject: 'ord_late_after_deletion',
      data: {
        order_id: 'ord_late_after_deletion',
        user_id: user.id,
        status: 'confirmed',
        items: [],
        total_cents: 500,
        currency: 'EUR',
        cancellation_reason: null,
        created_at: at,
        updated_at: at,
        version: 3,
      },
    })
    const result = await deliver(EVENTS_QUEUE, [late])
    expect(result.explicitAcks).toHaveLength(1)
    const view = await shardOfUser(user.id)
      .prepare('SELECT user_id, total_cents FROM order_views WHERE order_id = ?1')
      .bind('ord_late_after_deletion')
      .first()
    expect(view).toEqual({ user_id: DELETED_USER_ID, total_cents: 500 })
  })

  it('refuses an order placed after the deletion with an access token that has not expired yet', async () => {
    const product = await seedProduct()
    const user = customer()
    await deliver(EVENTS_QUEUE, [userDeletedEvent(user.id)])
    const response = await placeOrder(user, { items: [{ product_id: product, quantity: 1 }], payment_token: 'tok_visa' })
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ code: 'unauthenticated', detail: 'The account was deleted.' })
    expect(await everything()).not.toContain(user.id)
  })

  it('anonymises at once an order row written for an erased user (a placement that raced the erasure)', async () => {
    const user = customer()
    await deliver(EVENTS_QUEUE, [userDeletedEvent(user.id)])
    const at = new Date().toISOString()
    await shardOfUser(user.id)
      .prepare(
        "INSERT INTO orders (id, user_id, status, items, total_cents, currency, version, created_at, updated_at) VALUES ('ord_raced', ?1, 'pending', '[]', 100, 'EUR', 1, ?2, ?2)",
      )
      .bind(user.id, at)
      .run()
    expect(await aggregate('ord_raced')).toEqual({ user_id: DELETED_USER_ID, status: 'pending', total_cents: 100 })
  })

  it("looks for an erased user's order again after a shard lookup that failed", async () => {
    const order = await placed(customer(), await seedProduct())
    await settle(order.id)
    await deliver(EVENTS_QUEUE, [userDeletedEvent(order.user_id)])
    // Shard 0, where the lookup begins, out of reach for one statement.
    const host = placeOrderHost({ ...testEnv, DB: unreachableFor(testEnv.DB, 1) })
    const input = { order_id: order.id, user_id: DELETED_USER_ID, items: [], total_cents: 0, currency: 'EUR', payment_token: '' }
    await expect(host.recorded(input)).rejects.toThrow('stand-in')
    // Not the failed lookup kept: the next call finds the order's shard and the saga's summary there.
    expect((await host.recorded(input))?.status).toBe('completed')
  })
})
