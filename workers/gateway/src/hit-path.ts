import { getPath } from 'hono/utils/url'
import { acceptRequestId, REQUEST_ID_HEADER } from '../../../platform/http/request-id'
import { carriesBody } from '../../../platform/http/request-body'
import { noneMatchHits, showsCacheLevel } from '../../../platform/cache/http-cache'
import { redMetrics } from '../../../platform/telemetry/metrics'
import { withRequestContext } from '../../../platform/telemetry/request-context'
import { createRouteMatcher, isAllowed, type Route } from '../../../shared-contracts/routes'
import type { GatewayConfig } from './config'
import type { Env } from './env'
import { allowedOrigin, applyCorsHeaders } from './middleware/cors'
import { deprecationHeaders } from './middleware/deprecation'
import { withinHeaderLimit } from './middleware/header-limit'
import { recordAnswer } from './middleware/observe'
import { type Limiter, traceAdmission } from './middleware/rate-limit'
import { rateLimitHeaders, subjectOf } from './middleware/rate-limit-policy'
import { applySecurityHeaders } from './middleware/security-headers'
import { gatewayServices, type GatewayServices } from './services'
import { serviceUrl } from './service-url'
import { deferTo } from './defer'
import type { CachedAnswer } from './gateway-cache/store'

/** Names the hit sets per request; a kept answer's own header of one of these names is not replayed. */
const PER_REQUEST = [REQUEST_ID_HEADER, 'RateLimit-Policy', 'RateLimit', 'Access-Control-Allow-Origin']

/**
 * A kept answer as the app would send it on a hit, built once per answer (and environment): a
 * bodiless response whose status and headers each hit's response copies in one step (a Response
 * as the init of another), and its 304 for a matching `If-None-Match`.
 */
interface Dressed {
  environment: string
  ok: Response
  notModified: Response
}

export interface HitPathOptions {
  routes: readonly Route[]
  limiter: Limiter
  config: (env: Env) => GatewayConfig
}

/**
 * The gateway cache's hit path (docs/adr/0058): an anonymous GET whose answer this isolate keeps
 * is answered here, before the app, with what the app's middleware would have given it — the
 * same status, body and headers (the kept answer's, the security and CORS headers, the route's
 * deprecation, X-Cache-Gateway outside production, the request id and the rate limit's),
 * its RED data point and sampled log line, its rate-limit unit and span attributes. The
 * headers that are the same on every hit of an answer are built once, on its first hit.
 *
 * Anything the app would answer differently is left to the app (`null`): another method, a
 * bearer token, a body, too many headers, no route or not a public one, a gateway route, a
 * configuration that does not parse, no kept answer — and a client whose rate-limit lease in
 * this isolate holds no unit, so the app asks the limiter (or refuses) exactly as before.
 */
export function hitPath({ routes, limiter, config: configOf }: HitPathOptions) {
  const match = createRouteMatcher(routes)
  const deprecationOf = deprecationHeaders(routes)
  const dressed = new WeakMap<CachedAnswer, Dressed>()

  function dress(answer: CachedAnswer, route: Route, path: string, environment: string): Dressed {
    const known = dressed.get(answer)
    if (known?.environment === environment) return known
    // In the order the app's middleware applies them on the way out (app.ts).
    const headers = new Headers(answer.headers)
    if (showsCacheLevel(environment)) headers.set('X-Cache-Gateway', 'hit')
    const deprecated = deprecationOf(route)
    if (deprecated) for (const name in deprecated) headers.set(name, deprecated[name]!)
    applyCorsHeaders(headers)
    applySecurityHeaders(headers, path, false)
    for (const name of PER_REQUEST) headers.delete(name)
    const ok = new Response(null, { status: answer.status, headers })
    headers.delete('Content-Type')
    const dress = { environment, ok, notModified: new Response(null, { status: 304, headers }) }
    dressed.set(answer, dress)
    return dress
  }

  return function answerHit(request: Request, env: Env, ctx: ExecutionContext): Response | null {
    if (request.method !== 'GET') return null
    const started = Date.now()
    const headers = request.headers
    if (headers.has('Authorization') || carriesBody(request) || !withinHeaderLimit(headers)) return null
    const url = request.url
    const path = getPath({ url } as Request) // Hono's c.req.path: what the app's router and authorize match
    const found = match('GET', path)
    if (found.kind !== 'found') return null
    const { route } = found
    if (route.service === 'gateway' || !isAllowed(route.access, null)) return null
    let config: GatewayConfig
    let services: GatewayServices
    try {
      config = configOf(env)
      services = gatewayServices(env, config)
    } catch {
      return null // the app answers a bad configuration (500, logged)
    }
    const answer = services.gatewayCache.find({
      method: 'GET',
      headers,
      service: route.service,
      target: serviceUrl(route.service, url),
    })
    if (!answer) return null
    const subject = subjectOf(route, null, headers)
    const policy = limiter.policies[subject.policy]
    const requestId = acceptRequestId(headers.get(REQUEST_ID_HEADER))
    // In the request's logging context, as in the app: a lease refill it starts logs with its id.
    return withRequestContext({ requestId }, () => {
      const decision = limiter.disabled ? null : limiter.spendHeld(services.rateLimiter, deferTo(ctx), policy, subject.key)
      if (!limiter.disabled && decision === null) return null
      const { ok, notModified } = dress(answer, route, path, config.environment)
      const conditional = answer.etag !== null && noneMatchHits(headers.get('If-None-Match'), answer.etag)
      const response = conditional ? new Response(null, notModified) : new Response(answer.body, ok)
      const sent = response.headers
      sent.set(REQUEST_ID_HEADER, requestId)
      if (decision) {
        traceAdmission(policy, decision, true)
        const limits = rateLimitHeaders(policy, decision)
        for (const name in limits) sent.set(name, limits[name]!)
      }
      const origin = allowedOrigin(headers.get('Origin'), config.corsOrigins)
      if (origin) sent.set('Access-Control-Allow-Origin', origin)
      recordAnswer(redMetrics(env.METRICS, 'gateway'), config.requestLog, {
        route,
        method: 'GET',
        status: response.status,
        durationMs: Date.now() - started,
        requestId,
      })
      return response
    })
  }
}
