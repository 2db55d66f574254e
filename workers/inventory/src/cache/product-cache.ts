import { env as isolateEnv } from 'cloudflare:workers'
import { drizzle } from 'drizzle-orm/d1'
import { cacheLevelRecorder } from '../../../../platform/cache/metrics'
import { stampView } from '../../../../platform/cache/stamps'
import { TieredCache } from '../../../../platform/cache/tiered-cache'
import { createLogger } from '../../../../platform/telemetry/log'
import type { Product } from '../../../../shared-contracts/inventory'
import { encodeCursor, type ListQuery, type Page } from '../../../../shared-contracts/pagination'
import { inventoryConfig } from '../config'
import { createStampSource } from '../repo/cache-stamps-repo'

/** Products and list pages, in both levels: `products:product:<id>`, `products:list:<limit>:<cursor>`. */
export const PRODUCTS_NAMESPACE = 'products'
/** How much longer than the L2 TTL an isolate remembers a change: room for clocks that disagree. */
export const CLOCK_MARGIN_MS = 60_000

export type ProductCache = TieredCache<Product | Page<Product>>

export const productKey = (id: string) => `product:${id}`
export const pageKey = (query: ListQuery) => `list:${query.limit}:${query.cursor ? encodeCursor(query.cursor) : ''}`

const log = createLogger('inventory')

/** The bindings a product cache reads: the Worker's vars (its CACHE_* settings), its KV (L2), its D1 (the stamps) and its metrics. */
export type ProductCacheEnv = { DB: D1Database; CACHE: KVNamespace; METRICS?: AnalyticsEngineDataset }

/** A product cache over this env's KV and D1 (tests make extra ones, as other isolates, with their own clock). */
export function createProductCache(env: ProductCacheEnv, now: () => number = Date.now): ProductCache {
  const options = inventoryConfig(env).cache
  const source = createStampSource(drizzle(env.DB))
  const windowMs = options.l2TtlSeconds * 1_000 + CLOCK_MARGIN_MS
  return new TieredCache({
    ...options,
    namespace: PRODUCTS_NAMESPACE,
    kv: env.CACHE,
    now,
    stamps: stampView({ source, checkMs: options.stampCheckMs, windowMs, now }),
    observe: cacheLevelRecorder(env.METRICS, 'inventory', PRODUCTS_NAMESPACE),
    onError: (error) => log.warn('a product cache level failed; the read went on to the next', { error }),
  })
}

let isolateCache: ProductCache | null = null

/**
 * This isolate's product cache (its L1 lives as long as the isolate), made on first use from
 * the Worker's own bindings, not a request's (those may be wrapped for one request's trace).
 * A bad CACHE_* var throws here: app.ts calls this at start-up.
 */
export function isolateProductCache(): ProductCache {
  isolateCache ??= createProductCache(isolateEnv satisfies ProductCacheEnv)
  return isolateCache
}
