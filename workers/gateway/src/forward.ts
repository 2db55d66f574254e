import type { Context, MiddlewareHandler } from 'hono'
import { CREDENTIAL_HEADER } from '../../../platform/auth/internal-credential'
import { problem } from '../../../platform/errors/problem'
import { CREDENTIAL_CHALLENGE } from '../../../platform/http/internal-auth'
import { REQUEST_ID_HEADER } from '../../../platform/http/request-id'
import { showsCacheLevel } from '../../../platform/cache/http-cache'
import { createLogger } from '../../../platform/telemetry/log'
import { gatewayCacheHeader, type GatewayCacheRead } from './gateway-cache/gateway-cache'
import { deferFor } from './defer'
import { serviceUrl } from './service-url'
import type { GatewayEnv } from './services'
import { resilience, routeClass } from './resilience/layer'

/**
 * Only these client headers reach an internal Worker. Everything else — Authorization,
 * cookies, any identity or internal header a client tries to spoof — is dropped; identity
 * travels only in the credential the gateway signs.
 */
const FORWARDED_HEADERS = ['accept', 'accept-language', 'content-type', 'idempotency-key', 'if-match', 'if-none-match', 'user-agent']
const DROPPED_RESPONSE_HEADERS = ['x-powered-by', 'server', 'www-authenticate']
const log = createLogger('gateway')

const hasBody = (method: string) => method !== 'GET' && method !== 'HEAD'

async function replayable(request: Request): Promise<ArrayBuffer | null> {
  const buffer = await request.arrayBuffer()
  return buffer.byteLength === 0 ? null : buffer
}

/** Outside production, says whether the gateway's cache answered (X-Cache-Gateway). */
function labelled(c: Context<GatewayEnv>, response: Response, read: GatewayCacheRead): Response {
  if (showsCacheLevel(c.get('config').environment)) response.headers.set('X-Cache-Gateway', gatewayCacheHeader(read))
  return response
}

/**
 * Forwards an authorized request to its service over the service binding, through the
 * resilience layer (bulkhead, circuit breaker, timeout, retries: ./resilience) unless the
 * RESILIENCE var is `off`. Anonymous public reads may be answered from this isolate's memory
 * instead (./gateway-cache), after every earlier middleware has run.
 */
export function forward(): MiddlewareHandler<GatewayEnv> {
  return async function forward(c, next) {
    // c.get, not c.var: Hono builds a copy of every variable on each read of c.var.
    const route = c.get('route')
    const services = c.get('services')
    const principal = c.get('principal')
    const requestId = c.get('requestId')
    if (route.service === 'gateway') return next()
    const target = serviceUrl(route.service, c.req.url)
    const cache = services.gatewayCache
    const read = cache.before({ method: c.req.method, headers: c.req.raw.headers, service: route.service, target })
    if (read.kind === 'hit') return labelled(c, read.response, read)
    const headers = new Headers()
    for (const name of FORWARDED_HEADERS) {
      const value = c.req.header(name)
      if (value !== undefined) headers.set(name, value)
    }
    headers.set(REQUEST_ID_HEADER, requestId)
    headers.set(CREDENTIAL_HEADER, await services.forwardCredential(route.service, { principal, requestId }))
    const fetcher = services.binding(route.service)
    const layer = resilience(c.env, c.get('config').resilience)
    const started = Date.now()
    const measure = (outcome: number | 'timeout' | 'unavailable') =>
      c.get('metrics').downstream({
        service: route.service,
        route: route.path,
        method: c.req.method,
        outcome,
        durationMs: Date.now() - started,
      })
    // The body arrived in full before this (platform/http/request-body): no attempt, and so no
    // timeout charged to the service, ever waits on the client. It is sent again on a retry.
    const body = hasBody(c.req.method) ? await replayable(c.req.raw) : null
    c.set('forwarded', true)
    const result = await layer.client(route.service, routeClass(c.req.method))(
      fetcher,
      { method: c.req.method, url: target, headers, body },
      deferFor(c),
    )
    if (!result.ok) {
      measure(result.error.code === 'gateway_timeout' ? 'timeout' : 'unavailable')
      const retryAfter: Record<string, string> =
        result.retryAfterMs === null ? {} : { 'Retry-After': String(Math.max(1, Math.ceil(result.retryAfterMs / 1_000))) }
      return problem(c, result.error, retryAfter)
    }
    const { response } = result
    measure(response.status)
    if (response.status === 401 && response.headers.get('WWW-Authenticate') === CREDENTIAL_CHALLENGE) {
      // The service refused the gateway's own credential: a key misconfiguration, never the client's fault.
      await response.body?.cancel()
      log.error(`${route.service} refused the gateway credential`, { downstream: route.service })
      return problem(c, { code: 'service_unavailable' }, { 'Retry-After': '30' })
    }
    const outgoing = await cache.after(read, response)
    for (const name of DROPPED_RESPONSE_HEADERS) outgoing.headers.delete(name)
    // A service's own challenge is internal; the client is always challenged for a bearer token.
    if (response.status === 401) outgoing.headers.set('WWW-Authenticate', 'Bearer realm="api"')
    return labelled(c, outgoing, read)
  }
}
