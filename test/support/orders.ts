import { createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm } from 'cloudflare:test'
import type { Principal } from '../../platform/auth/principal'
import type { Saga } from '../../shared-contracts/orders'
import { EVENT_TYPES } from '../../shared-contracts/events'
import { createEvent } from '../../platform/events/envelope'
import type { Env } from '../../workers/orders/src/env'
import { type DEAD_LETTER_QUEUE, EVENTS_QUEUE } from '../../workers/orders/src/events/queue'
import worker from '../../workers/orders/src/index'
import { fetchWithEnv } from './handler-fetch'
import { shardHoldingOrder } from '../../workers/orders/src/repo/orders-repo'
import { serviceClient, uniqueId, type CallOptions } from './service-client'
import { shardFor, shardsOf } from '../../platform/db/shards'

export { admin, customer, newUserId, readProblem } from './service-client'

/** A user.deleted event for `user_id`, as users publishes it. */
export const userDeletedEvent = (user_id: string) =>
  createEvent({
    service: 'users',
    type: EVENT_TYPES.userDeleted,
    subject: user_id,
    data: { user_id, deleted_at: new Date().toISOString() },
  })

/** The Worker's handlers, as the runtime calls them. */
const handlers: ExportedHandler<Env> = worker

const orders = serviceClient<Env & { INVENTORY_DB: D1Database; PAYMENTS_DB: D1Database }>('orders')

/** The Worker's bindings plus what the test configuration adds (vitest.config.ts): inventory's and payments' databases too. */
export const testEnv = orders.env

/** The shard that holds a user's orders, views, sagas and keys (docs/adr/0067). */
export const shardOfUser = (userId: string): D1Database => shardFor(testEnv, userId)

/** Every shard of orders' database. */
export const orderShards = (): D1Database[] => shardsOf(testEnv)

/** The shard that holds an order, found by its id (tests that know only the order). */
export async function shardOfOrder(orderId: string): Promise<D1Database> {
  const db = await shardHoldingOrder(orderShards(), orderId)
  if (!db) throw new Error(`no order ${orderId} on any shard`)
  return db
}

/** Calls the orders Worker as the gateway would (./service-client). */
export const callOrders = (path: string, options?: CallOptions) => orders.call(path, options)

/** The request `callOrders` sends, for a test that runs the Worker's handler with an env of its own. */
export const ordersRequest = (path: string, options?: CallOptions) => orders.request(path, options)

/** Runs the orders Worker's fetch handler on `request` with `env` in place of its bindings (./handler-fetch). */
export const fetchWith = (env: Env, request: Request) => fetchWithEnv(worker, request, env)

/** POST /api/v1/orders with an Idempotency-Key. */
export const placeOrder = (principal: Principal, body: unknown, key: string | null = crypto.randomUUID()) =>
  callOrders('/api/v1/orders', { method: 'POST', principal, body, headers: key === null ? {} : { 'Idempotency-Key': key } })

/** A product in the real inventory's database (it has no RPC to create one), with its stock. */
export async function seedProduct({ price = 1250, currency = 'EUR', stock = 10 } = {}): Promise<string> {
  const id = uniqueId('prd')
  const now = new Date().toISOString()
  await testEnv.INVENTORY_DB.batch([
    testEnv.INVENTORY_DB.prepare(
      'INSERT INTO products (id, sku, name, description, price_cents, currency, version, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7)',
    ).bind(id, `SKU-${id}`, 'Widget', '', price, currency, now),
    testEnv.INVENTORY_DB.prepare('INSERT INTO stock (product_id, on_hand, reserved, version, updated_at) VALUES (?1, ?2, 0, 0, ?3)').bind(
      id,
      stock,
      now,
    ),
  ])
  return id
}

export async function stockOf(productId: string): Promise<{ on_hand: number; reserved: number }> {
  return (await testEnv.INVENTORY_DB.prepare('SELECT on_hand, reserved FROM stock WHERE product_id = ?1')
    .bind(productId)
    .first<{ on_hand: number; reserved: number }>())!
}

export async function paymentsOf(orderId: string): Promise<{ status: string; amount_cents: number }[]> {
  const rows = await testEnv.PAYMENTS_DB.prepare('SELECT status, amount_cents FROM payments WHERE order_id = ?1')
    .bind(orderId)
    .all<{ status: string; amount_cents: number }>()
  return rows.results
}

export const sagaStub = (orderId: string) => testEnv.SAGAS.get(testEnv.SAGAS.idFromName(orderId))

const TERMINAL = ['completed', 'compensated', 'failed']

/** Drives the saga's alarms (or lets the scheduled ones run) until it ends; answers its view. */
export async function settle(orderId: string): Promise<Saga> {
  for (let round = 0; round < 400; round++) {
    const stub = sagaStub(orderId)
    const saga = (await stub.view()) as Saga | null
    if (saga && TERMINAL.includes(saga.status)) return saga
    if (!(await runDurableObjectAlarm(stub))) await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`saga ${orderId} did not end`)
}

/** Feeds the read model: this service's outbox envelopes (every shard's), handed to its queue handler. */
export async function feedReadModel(): Promise<void> {
  const shards = await Promise.all(
    orderShards().map((db) =>
      db.prepare('SELECT id, envelope FROM outbox ORDER BY created_at, id').all<{ id: string; envelope: string }>(),
    ),
  )
  await deliver(
    EVENTS_QUEUE,
    shards.flatMap((rows) => rows.results.map((row) => JSON.parse(row.envelope) as unknown)),
  )
}

export async function deliver(queue: typeof EVENTS_QUEUE | typeof DEAD_LETTER_QUEUE, bodies: unknown[]) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body) => ({ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body })),
  )
  const ctx = createExecutionContext()
  await handlers.queue!(batch, testEnv, ctx)
  return getQueueResult(batch, ctx)
}

/**
 * Stand-in saga coordinators whose start rejects with `error`, for a failure that fault injection
 * cannot make: the coordinator's own code throwing (an error with `remote: true`).
 */
export const sagasFailingWith = (error: Error): Env['SAGAS'] =>
  ({
    idFromName: (name: string) => testEnv.SAGAS.idFromName(name),
    get: () => ({ start: () => Promise.reject(error) }),
  }) as unknown as Env['SAGAS']

/** A stand-in for `db` out of reach for its next `times` statements: each `prepare` throws. */
export function unreachableFor(db: D1Database, times: number): D1Database {
  let failures = times
  return new Proxy(db, {
    get(target, key) {
      if (key === 'prepare' && failures > 0)
        return () => {
          failures -= 1
          throw new Error('stand-in: the shard cannot be reached')
        }
      const value: unknown = Reflect.get(target, key)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
