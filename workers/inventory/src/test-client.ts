import { env, exports } from 'cloudflare:workers'
import { createCredentialSigner, CREDENTIAL_HEADER } from '../../../platform/auth/internal-credential'
import type { Principal } from '../../../platform/auth/principal'
import { REQUEST_ID_HEADER } from '../../../platform/http/request-id'
import type { InventoryRpcApi, Product } from '../../../shared-contracts/inventory'
import type { Env } from './env'

/** The inventory Worker's own bindings plus those the test configuration adds (vitest.config.ts). */
export const testEnv = env as Env & { TEST_GATEWAY_PRIVATE_KEY: string; TEST_ORDERS_PRIVATE_KEY: string }

/** The Worker under test: the `main` of the inventory test project, and its RPC entrypoint. */
const worker = (exports as unknown as { default: { fetch(request: Request): Promise<Response> } }).default
export const rpc = (exports as unknown as { InventoryRpc: InventoryRpcApi }).InventoryRpc

const signAsGateway = createCredentialSigner(testEnv.TEST_GATEWAY_PRIVATE_KEY)
const signAsOrders = createCredentialSigner(testEnv.TEST_ORDERS_PRIVATE_KEY, 'orders')

export const ADMIN: Principal = { id: 'usr_admin', roles: ['customer', 'admin'] }
export const CUSTOMER: Principal = { id: 'usr_customer', roles: ['customer'] }

export interface CallOptions {
  method?: string
  body?: unknown
  principal?: Principal | null
  /** Leave out the gateway credential, or send this one instead. */
  credential?: string | null
  /** More request headers (If-None-Match, say). */
  headers?: Record<string, string>
}

/** Calls the inventory Worker as the gateway would: with a credential signed for it. */
export async function callInventory(path: string, options: CallOptions = {}): Promise<Response> {
  const requestId = crypto.randomUUID()
  const headers = new Headers({ 'Content-Type': 'application/json', [REQUEST_ID_HEADER]: requestId, ...options.headers })
  const credential =
    options.credential !== undefined ? options.credential : await signAsGateway('inventory', { principal: options.principal ?? null, requestId })
  if (credential !== null) headers.set(CREDENTIAL_HEADER, credential)
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  return worker.fetch(new Request(`https://inventory.internal${path}`, { method: options.method ?? 'GET', headers, body }))
}

/** A credential the orders service signs for its RPC calls to inventory. */
export const ordersCredential = () => signAsOrders('inventory', { principal: null, requestId: crypto.randomUUID() })
/** A credential the gateway signs for inventory: valid over HTTP, refused over RPC. */
export const gatewayCredential = () => signAsGateway('inventory', { principal: ADMIN, requestId: crypto.randomUUID() })

export const uniqueSku = (label = 'SKU') => `${label}-${crypto.randomUUID().slice(0, 8)}`
export const uniqueId = (label: string) => `${label}_${crypto.randomUUID().replaceAll('-', '')}`

export function newProductBody(overrides: Record<string, unknown> = {}) {
  return { sku: uniqueSku(), name: 'Teapot', description: 'Short and stout', price_cents: 1999, currency: 'EUR', ...overrides }
}

/** Creates a product through the admin route; throws unless it succeeds. */
export async function createProduct(overrides: Record<string, unknown> = {}): Promise<Product> {
  const response = await callInventory('/api/v1/products', { method: 'POST', principal: ADMIN, body: newProductBody(overrides) })
  if (response.status !== 201) throw new Error(`create answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as Product
}

/** Reads a response as problem+json, asserting nothing: tests assert on the result. */
export async function readProblem(response: Response) {
  return {
    status: response.status,
    contentType: response.headers.get('Content-Type'),
    body: (await response.json()) as { code: string; request_id: string; title: string; status: number; detail?: string; errors?: { path: string; message: string }[] },
  }
}

export interface OutboxRow {
  id: string
  type: string
  envelope: string
  sent_at: string | null
}

/** The outbox rows whose event is about this subject (a product id), oldest first. */
export async function outboxFor(subject: string): Promise<OutboxRow[]> {
  const rows = await testEnv.DB.prepare(`SELECT * FROM outbox WHERE json_extract(envelope, '$.subject') = ?1 ORDER BY created_at, rowid`)
    .bind(subject)
    .all<OutboxRow>()
  return rows.results
}
