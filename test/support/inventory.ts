import { exports } from 'cloudflare:workers'
import type { Principal } from '../../platform/auth/principal'
import type { InventoryRpcApi, Product } from '../../shared-contracts/inventory'
import type { Env } from '../../workers/inventory/src/env'
import { admin, serviceClient, type CallOptions } from './service-client'

export { readProblem, uniqueId } from './service-client'

const inventory = serviceClient<Env>('inventory')

/** The inventory Worker's own bindings plus those the test configuration adds (vitest.config.ts). */
export const testEnv = inventory.env

/** The Worker's RPC entrypoint, reached as a service binding reaches it. */
export const rpc = (exports as unknown as { InventoryRpc: InventoryRpcApi }).InventoryRpc

export const ADMIN: Principal = admin
export const CUSTOMER: Principal = { id: 'usr_customer', roles: ['customer'] }

/** Calls the inventory Worker as the gateway would (./service-client). */
export const callInventory = (path: string, options?: CallOptions) => inventory.call(path, options)

/** A credential the orders service signs for its RPC calls to inventory. */
export const ordersCredential = () => inventory.ordersCredential()
/** A credential the gateway signs for inventory: valid over HTTP, refused over RPC. */
export const gatewayCredential = () => inventory.gatewayCredential({ principal: ADMIN })

export const uniqueSku = (label = 'SKU') => `${label}-${crypto.randomUUID().slice(0, 8)}`

export function newProductBody(overrides: Record<string, unknown> = {}) {
  return { sku: uniqueSku(), name: 'Teapot', description: 'Short and stout', price_cents: 1999, currency: 'EUR', ...overrides }
}

/** Creates a product through the admin route; throws unless it succeeds. */
export async function createProduct(overrides: Record<string, unknown> = {}): Promise<Product> {
  const response = await callInventory('/api/v1/products', { method: 'POST', principal: ADMIN, body: newProductBody(overrides) })
  if (response.status !== 201) throw new Error(`create answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as Product
}

export interface OutboxRow {
  id: string
  type: string
  envelope: string
  created_at: string
  sent_at: string | null
}

/** The outbox rows whose event is about this subject (a product id), oldest first. */
export async function outboxFor(subject: string): Promise<OutboxRow[]> {
  const rows = await testEnv.DB.prepare(`SELECT * FROM outbox WHERE json_extract(envelope, '$.subject') = ?1 ORDER BY created_at, rowid`)
    .bind(subject)
    .all<OutboxRow>()
  return rows.results
}
