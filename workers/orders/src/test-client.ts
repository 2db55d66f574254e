import { createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { createCredentialSigner, CREDENTIAL_HEADER } from '../../../platform/auth/internal-credential'
import type { Principal } from '../../../platform/auth/principal'
import { REQUEST_ID_HEADER } from '../../../platform/http/request-id'
import type { Saga } from '../../../shared-contracts/orders'
import type { Env } from './env'
import { DEAD_LETTER_QUEUE, EVENTS_QUEUE } from './events/queue'
import worker from './index'

/** The Worker's handlers, as the runtime calls them. */
const handlers: ExportedHandler<Env> = worker

/**
 * The Worker's bindings plus what the test configuration adds (vitest.config.ts). Cast: the
 * runtime's `env` types INVENTORY and PAYMENTS as plain service bindings, Env as their RPC
 * contracts.
 */
export const testEnv = env as unknown as Env & { TEST_GATEWAY_PRIVATE_KEY: string; INVENTORY_DB: D1Database; PAYMENTS_DB: D1Database }
const fetcher = (exports as unknown as { default: { fetch(request: Request): Promise<Response> } }).default
const sign = createCredentialSigner(testEnv.TEST_GATEWAY_PRIVATE_KEY)

export const newUserId = () => `usr_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
export const customer = (id = newUserId()): Principal => ({ id, roles: ['customer'] })
export const admin: Principal = { id: 'usr_admin', roles: ['customer', 'admin'] }

export interface CallOptions {
  method?: string
  principal?: Principal | null
  body?: unknown
  headers?: Record<string, string>
}

/** Calls the Worker as the gateway would: with a credential signed for orders. */
export async function callOrders(path: string, options: CallOptions = {}): Promise<Response> {
  const requestId = crypto.randomUUID()
  const headers = new Headers({ [REQUEST_ID_HEADER]: requestId, ...options.headers })
  headers.set(CREDENTIAL_HEADER, await sign('orders', { principal: options.principal ?? null, requestId }))
  const init: RequestInit = { method: options.method ?? 'GET', headers }
  if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json')
    init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  }
  return fetcher.fetch(new Request(`https://orders.internal${path}`, init))
}

/** POST /api/v1/orders with an Idempotency-Key. */
export const placeOrder = (principal: Principal, body: unknown, key: string | null = crypto.randomUUID()) =>
  callOrders('/api/v1/orders', { method: 'POST', principal, body, headers: key === null ? {} : { 'Idempotency-Key': key } })

/** A product in the real inventory's database (it has no RPC to create one), with its stock. */
export async function seedProduct({ price = 1250, currency = 'EUR', stock = 10 } = {}): Promise<string> {
  const id = `prd_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
  const now = new Date().toISOString()
  await testEnv.INVENTORY_DB.batch([
    testEnv.INVENTORY_DB.prepare(
      'INSERT INTO products (id, sku, name, description, price_cents, currency, version, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7)',
    ).bind(id, `SKU-${id}`, 'Widget', '', price, currency, now),
    testEnv.INVENTORY_DB.prepare('INSERT INTO stock (product_id, on_hand, reserved, version, updated_at) VALUES (?1, ?2, 0, 0, ?3)').bind(id, stock, now),
  ])
  return id
}

export async function stockOf(productId: string): Promise<{ on_hand: number; reserved: number }> {
  return (await testEnv.INVENTORY_DB.prepare('SELECT on_hand, reserved FROM stock WHERE product_id = ?1').bind(productId).first<{ on_hand: number; reserved: number }>())!
}

export async function paymentsOf(orderId: string): Promise<{ status: string; amount_cents: number }[]> {
  const rows = await testEnv.PAYMENTS_DB.prepare('SELECT status, amount_cents FROM payments WHERE order_id = ?1').bind(orderId).all<{ status: string; amount_cents: number }>()
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

/** Feeds the read model: this service's outbox envelopes, handed to its queue handler. */
export async function feedReadModel(): Promise<void> {
  const rows = await testEnv.DB.prepare('SELECT id, envelope FROM outbox ORDER BY created_at, id').all<{ id: string; envelope: string }>()
  await deliver(EVENTS_QUEUE, rows.results.map((row) => JSON.parse(row.envelope) as unknown))
}

export async function deliver(queue: typeof EVENTS_QUEUE | typeof DEAD_LETTER_QUEUE, bodies: unknown[]) {
  const batch = createMessageBatch(queue, bodies.map((body) => ({ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body })))
  const ctx = createExecutionContext()
  await handlers.queue!(batch, testEnv, ctx)
  return getQueueResult(batch, ctx)
}

export async function readProblem(response: Response) {
  return {
    status: response.status,
    contentType: response.headers.get('Content-Type'),
    body: (await response.json()) as { code: string; errors?: { path: string; message: string }[] },
  }
}
