import { exports } from 'cloudflare:workers'
import { createEvent } from '../../platform/events/envelope'
import { EVENT_TYPES } from '../../shared-contracts/events'
import type { ChargeRequest, PaymentsRpcApi } from '../../shared-contracts/payments'
import type { Env } from '../../workers/payments/src/env'
import { serviceClient, uniqueId, type CallOptions } from './service-client'

export { admin, customer, newUserId, readProblem } from './service-client'

const payments = serviceClient<Env>('payments')

/** The payments Worker's own bindings plus those the test configuration adds (vitest.config.ts). */
export const testEnv = payments.env

/** The Worker's RPC entrypoint, reached as a service binding reaches it. */
export const rpc = (exports as unknown as { PaymentsRpc: PaymentsRpcApi }).PaymentsRpc

/** A credential as the orders service signs it for its RPC calls to payments. */
export const ordersCredential = (audience = 'payments') => payments.ordersCredential(audience)

/** A credential the gateway signed: right key, wrong kind of caller for RPC. */
export const gatewayCredential = (audience = 'payments') => payments.gatewayCredential({ audience })

/** Calls the payments Worker over HTTP as the gateway would (./service-client). */
export const callPayments = (path: string, options?: CallOptions) => payments.call(path, options)

export const newOrderId = () => uniqueId('ord')
export const newKey = () => uniqueId('key')

/** A valid charge of a fresh order by a fresh user with tok_visa; override what a test is about. */
export function chargeRequest(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    order_id: newOrderId(),
    user_id: uniqueId('usr'),
    amount_cents: 4200,
    currency: 'EUR',
    payment_token: 'tok_visa',
    key: newKey(),
    ...overrides,
  }
}

export async function charge(request: ChargeRequest) {
  return rpc.charge(await ordersCredential(), request)
}

export async function refund(order_id: string, key = newKey()) {
  return rpc.refund(await ordersCredential(), { order_id, key })
}

export interface StoredRow {
  id: string
  order_id: string
  user_id: string
  status: string
  decline_reason: string | null
  amount_cents: number
}

/** Every stored attempt of an order, pending ones included: what the database holds. */
export async function rowsOf(orderId: string): Promise<StoredRow[]> {
  const rows = await testEnv.DB.prepare('SELECT * FROM payments WHERE order_id = ?1 ORDER BY created_at, id').bind(orderId).all<StoredRow>()
  return rows.results
}

export interface OutboxEvent {
  id: string
  type: string
  envelope: string
  sent_at: string | null
}

/** The outbox rows whose event is about this order. */
export async function eventsOf(orderId: string): Promise<OutboxEvent[]> {
  const rows = await testEnv.DB.prepare('SELECT * FROM outbox ORDER BY created_at, id').all<OutboxEvent>()
  return rows.results.filter((row) => (JSON.parse(row.envelope) as { data: { order_id?: string } }).data.order_id === orderId)
}

/** A payment.captured event of a fresh payment, not written anywhere yet. No service subscribes to it: it is stored as sent. */
export const paymentCapturedEvent = () =>
  createEvent({
    service: 'payments',
    type: EVENT_TYPES.paymentCaptured,
    subject: crypto.randomUUID(),
    data: { payment_id: crypto.randomUUID(), order_id: crypto.randomUUID(), amount_cents: 100, currency: 'EUR' },
  })

/** A user.deleted event of a fresh user, not written anywhere yet: an event with subscribers (orders, notifications, payments), so a relay sends it. */
export const userDeletedEvent = () =>
  createEvent({
    service: 'users',
    type: EVENT_TYPES.userDeleted,
    subject: crypto.randomUUID(),
    data: { user_id: crypto.randomUUID(), deleted_at: new Date().toISOString() },
  })

/**
 * payments' env with a producer binding for every subscriber of user.deleted, each on payments'
 * own real queue: what a relay sends through it is delivered, and payments' consumer erases the
 * user it names, whom nothing here knows (it writes only that erasure and its inbox rows).
 */
export const sendingEnv = (): Env & Record<'EVENTS_ORDERS' | 'EVENTS_NOTIFICATIONS', Queue> => ({
  ...testEnv,
  EVENTS_ORDERS: testEnv.EVENTS_PAYMENTS,
  EVENTS_NOTIFICATIONS: testEnv.EVENTS_PAYMENTS,
})
