import { env, exports } from 'cloudflare:workers'
import { createCredentialSigner, CREDENTIAL_HEADER } from '../../../platform/auth/internal-credential'
import type { Principal } from '../../../platform/auth/principal'
import { REQUEST_ID_HEADER } from '../../../platform/http/request-id'
import type { ChargeRequest, PaymentsRpcApi } from '../../../shared-contracts/payments'
import type { Env } from './env'

/** The payments Worker's own bindings plus those the test configuration adds (vitest.config.ts). */
export const testEnv = env as Env & { TEST_GATEWAY_PRIVATE_KEY: string; TEST_ORDERS_PRIVATE_KEY: string }

const loopback = exports as unknown as {
  default: { fetch(request: Request): Promise<Response> }
  PaymentsRpc: PaymentsRpcApi
}

/** The Worker's RPC entrypoint, reached as a service binding reaches it. */
export const rpc = loopback.PaymentsRpc

const signAsGateway = createCredentialSigner(testEnv.TEST_GATEWAY_PRIVATE_KEY)
const signAsOrders = createCredentialSigner(testEnv.TEST_ORDERS_PRIVATE_KEY, 'orders')

/** A credential as the orders service signs it for its RPC calls to payments. */
export const ordersCredential = (audience = 'payments') => signAsOrders(audience, { principal: null, requestId: crypto.randomUUID() })

/** A credential the gateway signed: right key, wrong kind of caller for RPC. */
export const gatewayCredential = (audience = 'payments') => signAsGateway(audience, { principal: null, requestId: crypto.randomUUID() })

export interface CallOptions {
  method?: string
  principal?: Principal | null
  /** Leave out the gateway credential, or send this one instead. */
  credential?: string | null
}

/** Calls the payments Worker over HTTP as the gateway would. */
export async function callPayments(path: string, options: CallOptions = {}): Promise<Response> {
  const requestId = crypto.randomUUID()
  const headers = new Headers({ [REQUEST_ID_HEADER]: requestId })
  const credential = options.credential !== undefined ? options.credential : await signAsGateway('payments', { principal: options.principal ?? null, requestId })
  if (credential !== null) headers.set(CREDENTIAL_HEADER, credential)
  return loopback.default.fetch(new Request(`https://payments.internal${path}`, { method: options.method ?? 'GET', headers }))
}

const unique = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
export const newOrderId = () => unique('ord')
export const newUserId = () => unique('usr')
export const newKey = () => unique('key')

export const customer = (id = newUserId()): Principal => ({ id, roles: ['customer'] })
export const admin: Principal = { id: 'usr_admin', roles: ['customer', 'admin'] }

/** A valid charge of a fresh order by a fresh user with tok_visa; override what a test is about. */
export function chargeRequest(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return { order_id: newOrderId(), user_id: newUserId(), amount_cents: 4200, currency: 'EUR', payment_token: 'tok_visa', key: newKey(), ...overrides }
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

/** Reads a response as problem+json. */
export async function readProblem(response: Response) {
  return {
    status: response.status,
    contentType: response.headers.get('Content-Type'),
    body: (await response.json()) as { code: string; request_id: string; status: number; errors?: { path: string; message: string }[] },
  }
}
