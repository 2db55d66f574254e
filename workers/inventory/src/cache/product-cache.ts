import { env as isolateEnv } from 'cloudflare:workers'
import { generationView } from '../../../../platform/cache/generation'
import { cacheLevelRecorder } from '../../../../platform/cache/metrics'
import { cacheOptions, type CacheEnv } from '../../../../platform/cache/options'
import { TieredCache } from '../../../../platform/cache/tiered-cache'
import { createLogger } from '../../../../platform/telemetry/log'
import type { Product } from '../../../../shared-contracts/inventory'
import { encodeCursor, type ListQuery, type Page } from '../../../../shared-contracts/pagination'
import { createCacheGenerationsRepo } from '../repo/cache-generations-repo'

/** Products and list pages share one namespace, so one generation bump drops them all. */
export const PRODUCTS_NAMESPACE = 'products'

export type ProductCache = TieredCache<Product | Page<Product>>

export const productKey = (id: string) => `product:${id}`
export const pageKey = (query: ListQuery) => `list:${query.limit}:${query.cursor ? encodeCursor(query.cursor) : ''}`

const log = createLogger('inventory')

/** The bindings a product cache reads: its vars, its KV (L2), its D1 (the generation) and its metrics. */
export type ProductCacheEnv = CacheEnv & { DB: D1Database; CACHE: KVNamespace; METRICS?: AnalyticsEngineDataset }

/** A product cache over this env's KV and D1 (tests make extra ones, as other isolates, with their own clock). */
export function createProductCache(env: ProductCacheEnv, now: () => number = Date.now): ProductCache {
  const options = cacheOptions(env)
  const generations = createCacheGenerationsRepo(env.DB)
  return new TieredCache({
    ...options,
    namespace: PRODUCTS_NAMESPACE,
    kv: env.CACHE,
    now,
    generation: generationView({ read: () => generations.current(PRODUCTS_NAMESPACE), checkMs: options.generationCheckMs, now }),
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
