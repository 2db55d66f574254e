import { FRESH_UNTIL_HEADER } from '../../../../platform/cache/http-cache'
import { fromCachedAnswer, keepUntil, toCachedAnswer } from './answer'
import { edgeCacheOptions, type EdgeCacheEnv } from './options'
import { EDGE_CACHE_MAX_TTL_MS, EdgeStore, type Slot } from './store'

/**
 * The gateway's cache of anonymous public reads (docs/caching.md; docs/adr/0039).
 * Forward asks it `before` signing a credential: a hit is answered from this isolate's memory,
 * with every earlier middleware (authentication, authorization, the rate limiter) already run.
 */
export type EdgeRead =
  | { kind: 'hit'; response: Response }
  | { kind: 'miss'; slot: Slot }
  | { kind: 'bypass' }
  /** A request that may change the service: its entries are dropped before and after it. */
  | { kind: 'write'; service: string }

export interface EdgeRequest {
  method: string
  headers: Headers
  service: string
  /** The service URL the request goes to (canonical path and query). */
  target: string
}

/** A store for this configuration, or null when GATEWAY_CACHE is `off`; a bad var throws. One per isolate: GatewayServices holds it. */
export function edgeStore(env: EdgeCacheEnv): EdgeStore | null {
  const options = edgeCacheOptions(env)
  return options.enabled ? new EdgeStore({ ...options, maxTtlMs: EDGE_CACHE_MAX_TTL_MS, now: Date.now }) : null
}

/** A method that may change what the service answers: anything but GET and HEAD. */
const mayWrite = (method: string) => method !== 'GET' && method !== 'HEAD'

/** Anonymous GETs are looked up; any other method but HEAD drops the service's entries first. */
export function before(store: EdgeStore | null, request: EdgeRequest): EdgeRead {
  if (!store) return { kind: 'bypass' }
  if (mayWrite(request.method)) {
    store.purge(request.service)
    return { kind: 'write', service: request.service }
  }
  if (request.method !== 'GET' || request.headers.has('Authorization')) return { kind: 'bypass' }
  const slot = store.slot(request.service, `${request.target} ${request.headers.get('Accept') ?? ''}`)
  const answer = store.get(slot)
  return answer ? { kind: 'hit', response: fromCachedAnswer(answer, request.headers.get('If-None-Match')) } : { kind: 'miss', slot }
}

/** The service's answer to pass on: kept first when a miss may keep it; never with the internal header. */
export async function after(store: EdgeStore | null, read: EdgeRead, response: Response): Promise<Response> {
  if (read.kind === 'write') store?.purge(read.service)
  const freshUntil = read.kind === 'miss' ? keepUntil(response) : null
  if (read.kind !== 'miss' || freshUntil === null || !store) {
    const passed = new Response(response.body, response)
    passed.headers.delete(FRESH_UNTIL_HEADER)
    return passed
  }
  const answer = await toCachedAnswer(response)
  store.put(read.slot, answer, freshUntil)
  return fromCachedAnswer(answer, null)
}

/** `X-Cache-Gateway` (outside production only): whether this isolate's memory answered. */
export const gatewayCacheHeader = (read: EdgeRead) => (read.kind === 'hit' ? 'hit' : read.kind === 'miss' ? 'miss' : 'bypass')
