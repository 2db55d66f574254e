import type { Context } from 'hono'
import { etagOf, noneMatchHits, PUBLIC_READ_CACHE_CONTROL, showsCacheLevel, X_CACHE } from '../../../../platform/cache/http-cache'
import { problem } from '../../../../platform/errors/problem'
import type { InventoryEnv } from '../env'
import type { Served } from '../service/product-reads'

// The body and ETag of a cached value, computed once per value: an L1 hit hands out the same
// object again, so it is neither serialised nor hashed again.
const representations = new WeakMap<object, Promise<{ body: string; etag: string }>>()

function representationOf(value: object): Promise<{ body: string; etag: string }> {
  let representation = representations.get(value)
  if (!representation) {
    const body = JSON.stringify(value)
    representation = etagOf(body).then((etag) => ({ body, etag }))
    representations.set(value, representation)
  }
  return representation
}

/**
 * Answers a public read: 200 with a strong ETag and a short public Cache-Control, or 304 when
 * If-None-Match already has it. `X-Cache` says which level answered, outside production only.
 */
export async function respondCached<T extends object>(c: Context<InventoryEnv>, served: Served<T>): Promise<Response> {
  const response = await represent(c, served)
  if (showsCacheLevel(c.env.ENVIRONMENT)) response.headers.set('X-Cache', X_CACHE[served.level])
  return response
}

async function represent<T extends object>(c: Context<InventoryEnv>, served: Served<T>): Promise<Response> {
  if (!served.result.ok) return problem(c, served.result.error)
  const { body, etag } = await representationOf(served.result.value)
  const headers = { ETag: etag, 'Cache-Control': PUBLIC_READ_CACHE_CONTROL }
  if (noneMatchHits(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers)
  return c.body(body, 200, { ...headers, 'Content-Type': 'application/json' })
}
