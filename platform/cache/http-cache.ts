import type { Context } from 'hono'
import type { CacheLevel, L1Usage } from './envelope'

/**
 * HTTP caching of public reads (RFC 9110 §8.8.3, §13.1.2): a strong ETag that is a hash of the
 * body, and `If-None-Match` answered with 304 when the client's copy is current.
 */

/** A strong validator: the SHA-256 of the body, base64url, quoted. */
export async function etagOf(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)))
  const base64 = btoa(String.fromCharCode(...digest))
  return `"${base64.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')}"`
}

const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag)

/**
 * Whether `If-None-Match` matches the current ETag: `*`, or any tag in the list under weak
 * comparison (a `W/` prefix on either side is ignored), as RFC 9110 requires for this header.
 */
export function noneMatchHits(ifNoneMatch: string | undefined | null, etag: string): boolean {
  if (!ifNoneMatch) return false
  const header = ifNoneMatch.trim()
  if (header === '*') return true
  const tags = header.match(/(?:W\/)?"[^"]*"/g) ?? []
  return tags.some((tag) => opaque(tag) === opaque(etag))
}

/** A body and its ETag, computed once and answered many times. */
export interface Representation {
  body: string
  etag: string
}

/** Answers the body with its ETag, or a bodiless 304 when the client's `If-None-Match` still matches. */
export function conditionalResponse(c: Context, { body, etag }: Representation, contentType: string, cacheControl: string): Response {
  const headers = { ETag: etag, 'Cache-Control': cacheControl }
  if (noneMatchHits(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers)
  return c.body(body, 200, { ...headers, 'Content-Type': contentType })
}

/**
 * Public product reads: browsers and shared caches may keep a copy for a few seconds and serve it
 * a little longer while they revalidate (with the ETag, so usually a bodiless 304). Both are
 * small next to the cache's own staleness bound (docs/caching.md).
 */
export const PUBLIC_READ_CACHE_CONTROL = 'public, max-age=5, stale-while-revalidate=10'

/**
 * Internal, from a service to the gateway only: until when (ms since the epoch) the answer is
 * known current (`CacheRead.freshUntil`). The gateway may answer it again from memory until then
 * (workers/gateway/src/gateway-cache) and strips it from every response it passes on.
 */
export const FRESH_UNTIL_HEADER = 'X-Cache-Fresh-Until'

/** The `X-Cache` header (local development and tests only): which level answered. */
export const X_CACHE: Record<CacheLevel, string> = { l1: 'L1 hit', l2: 'L2 hit', source: 'miss', bypass: 'bypass' }

/** Environments whose responses say which cache level answered; production never does. */
export const showsCacheLevel = (environment: string | undefined) => environment === 'development' || environment === 'test'

/** The `X-Cache-L1` header (with `X-Cache`): this isolate's L1 against its bounds, for the benchmark's memory check. */
export const l1UsageHeader = ({ entries, bytes, maxEntries, maxBytes }: L1Usage) =>
  `entries=${entries}; bytes=${bytes}; max_entries=${maxEntries}; max_bytes=${maxBytes}`
