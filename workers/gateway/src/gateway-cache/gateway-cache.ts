import { FRESH_UNTIL_HEADER } from '../../../../platform/cache/http-cache'
import { fromCachedAnswer, keepUntil, toCachedAnswer } from './answer'
import type { GatewayCacheOptions } from './options'
import { GATEWAY_CACHE_MAX_TTL_MS, GatewayCacheStore, type CachedAnswer, type Slot } from './store'

/**
 * The gateway's cache of anonymous public reads (docs/caching.md; docs/adr/0039).
 * Forward asks it `before` signing a credential: a hit is answered from this isolate's memory,
 * with every earlier middleware (authentication, authorization, the rate limiter) already run.
 */
export type GatewayCacheRead =
  | { kind: 'hit'; response: Response }
  | { kind: 'miss'; slot: Slot }
  | { kind: 'bypass' }
  /** A request that may change the service: its entries are dropped before and after it. */
  | { kind: 'write'; service: string }

export interface GatewayCacheRequest {
  method: string
  headers: Headers
  service: string
  /** The service URL the request goes to (canonical path and query). */
  target: string
}

/**
 * What the hit path asks before the app (`find`: the answer kept for an anonymous GET, if any),
 * and what forward asks: `before` the call (a hit answers it), `after` it (a miss may keep the answer).
 */
export interface GatewayCache {
  find(request: GatewayCacheRequest): CachedAnswer | undefined
  before(request: GatewayCacheRequest): GatewayCacheRead
  after(read: GatewayCacheRead, response: Response): Promise<Response>
}

/** GATEWAY_CACHE=off: every request bypasses it; the internal header is still never passed on. */
export const NO_GATEWAY_CACHE: GatewayCache = {
  find: () => undefined,
  before: () => ({ kind: 'bypass' }),
  after: async (_read, response) => passOn(response),
}

/** The cache for these parsed options (the gateway's config holds them). */
export function gatewayCacheFrom(options: GatewayCacheOptions): GatewayCache {
  if (!options.enabled) return NO_GATEWAY_CACHE
  const store = new GatewayCacheStore({ ...options, maxTtlMs: GATEWAY_CACHE_MAX_TTL_MS, now: Date.now })
  return {
    find: (request) => (isAnonymousRead(request) ? store.get(slotOf(store, request)) : undefined),
    before: (request) => before(store, request),
    after: (read, response) => after(store, read, response),
  }
}

/** A method that may change what the service answers: anything but GET and HEAD. */
const mayWrite = (method: string) => method !== 'GET' && method !== 'HEAD'

/** Only a GET without `Authorization` is ever answered from, or kept in, this cache. */
const isAnonymousRead = (request: GatewayCacheRequest) => request.method === 'GET' && !request.headers.has('Authorization')

/** A read's slot: its service, the canonical service URL and `Accept`. */
const slotOf = (store: GatewayCacheStore, request: GatewayCacheRequest) =>
  store.slot(request.service, `${request.target} ${request.headers.get('Accept') ?? ''}`)

/** Anonymous GETs are looked up; any other method but HEAD drops the service's entries first. */
export function before(store: GatewayCacheStore, request: GatewayCacheRequest): GatewayCacheRead {
  if (mayWrite(request.method)) {
    store.purge(request.service)
    return { kind: 'write', service: request.service }
  }
  if (!isAnonymousRead(request)) return { kind: 'bypass' }
  const slot = slotOf(store, request)
  const answer = store.get(slot)
  return answer ? { kind: 'hit', response: fromCachedAnswer(answer, request.headers.get('If-None-Match')) } : { kind: 'miss', slot }
}

/** The service's answer to pass on: kept first when a miss may keep it; never with the internal header. */
export async function after(store: GatewayCacheStore, read: GatewayCacheRead, response: Response): Promise<Response> {
  if (read.kind === 'write') store.purge(read.service)
  const freshUntil = read.kind === 'miss' ? keepUntil(response) : null
  if (read.kind !== 'miss' || freshUntil === null) return passOn(response)
  const answer = await toCachedAnswer(response)
  store.put(read.slot, answer, freshUntil)
  return fromCachedAnswer(answer, null)
}

function passOn(response: Response): Response {
  const passed = new Response(response.body, response)
  passed.headers.delete(FRESH_UNTIL_HEADER)
  return passed
}

/** `X-Cache-Gateway` (outside production only): whether this isolate's memory answered. */
export const gatewayCacheHeader = (read: GatewayCacheRead) => (read.kind === 'hit' ? 'hit' : read.kind === 'miss' ? 'miss' : 'bypass')
