import type { Context, MiddlewareHandler } from 'hono'
import {
  conditionalResponse,
  etagOf,
  FRESH_UNTIL_HEADER,
  l1UsageHeader,
  PUBLIC_READ_CACHE_CONTROL,
  showsCacheLevel,
  X_CACHE,
  type Representation,
} from '../../../../platform/cache/http-cache'
import { problem } from '../../../../platform/errors/problem'
import type { InventoryEnv } from '../services'
import type { Served } from '../service/product-reads'

// The body and ETag of a cached value, kept once computed: an L1 hit hands out the same object
// again, so it is neither serialised nor hashed again. Plain strings only, never a promise: the
// map outlives the request, and another request must not await what this one started
// (docs/adr/0017, "Single-flight across requests"). Two requests may both compute it once.
const representations = new WeakMap<object, Representation>()

async function representationOf(value: object): Promise<Representation> {
  const known = representations.get(value)
  if (known) return known
  const body = JSON.stringify(value)
  const representation = { body, etag: await etagOf(body) }
  representations.set(value, representation)
  return representation
}

/**
 * Answers a public read: 200 with a strong ETag and a short public Cache-Control, or 304 when
 * If-None-Match already has it. A found value says until when it is known current
 * (FRESH_UNTIL_HEADER, for the gateway only). Outside production only, `X-Cache` says which level
 * answered and `X-Cache-L1` what this isolate's L1 holds against its bounds.
 */
export async function respondCached<T extends object>(c: Context<InventoryEnv>, served: Served<T>): Promise<Response> {
  const response = await represent(c, served)
  if (served.result.ok && served.freshUntil !== null) response.headers.set(FRESH_UNTIL_HEADER, String(served.freshUntil))
  if (showsCacheLevel(c.var.config.environment)) {
    response.headers.set('X-Cache', X_CACHE[served.level])
    response.headers.set('X-Cache-L1', l1UsageHeader(c.var.services.reads.l1Usage()))
  }
  return response
}

async function represent<T extends object>(c: Context<InventoryEnv>, served: Served<T>): Promise<Response> {
  if (!served.result.ok) return problem(c, served.result.error)
  return conditionalResponse(c, await representationOf(served.result.value), 'application/json', PUBLIC_READ_CACHE_CONTROL)
}

/**
 * A read refused before the cache is asked (its query did not validate) says so like any other
 * uncached answer, outside production only: `X-Cache: bypass`.
 */
export function refusalsBypassCache(): MiddlewareHandler<InventoryEnv> {
  return async function refusalsBypassCache(c, next) {
    await next()
    if (c.res.status < 400 || c.res.headers.has('X-Cache') || !showsCacheLevel(c.var.config.environment)) return
    c.res.headers.set('X-Cache', X_CACHE.bypass)
    c.res.headers.set('X-Cache-L1', l1UsageHeader(c.var.services.reads.l1Usage()))
  }
}
