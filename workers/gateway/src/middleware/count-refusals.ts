import type { MiddlewareHandler } from 'hono'
import { spanAttributes } from '../../../../platform/telemetry/trace-context'
import type { GatewayEnv } from '../services'
import { limiterOf, refused, withHeaders, type Limiter } from './rate-limit'
import type { RateLimitOptions } from './rate-limit-options'
import { clientIp, rateLimitHeaders } from './rate-limit-policy'

/** What the gateway refuses on its own; each such answer spends a unit of the client's anonymous quota. */
export const REFUSAL_STATUSES: ReadonlySet<number> = new Set([401, 403, 404, 405, 408, 413, 415, 431])

/**
 * Refusals count (docs/adr/0030): when the gateway itself refuses a request (a bad token, an
 * unknown path, a wrong method, a refused policy, a body too large, too slow or not JSON, too
 * many headers), the refusal spends one unit of the client IP's anonymous quota — unless the
 * limiter already took this request's unit from that very quota. Once it is spent the refusal
 * is answered 429 instead. So a client that only ever sends what is refused is limited like
 * any anonymous client, and a refusal costs no Durable Object call while the IP's lease holds
 * units. Answers a service gives (a 404 for an unknown product, say) are not refusals: the
 * request was counted by its policy already. If the limiter cannot be reached the refusal
 * stands as it is.
 */
export function countRefusals(options: RateLimitOptions | Limiter = {}): MiddlewareHandler<GatewayEnv> {
  const limiter = limiterOf(options)
  if (limiter.disabled) return async (_c, next) => next()
  const policy = limiter.policies.anonymous

  return async function countRefusals(c, next) {
    await next()
    if (!REFUSAL_STATUSES.has(c.res.status) || c.get('forwarded')) return
    const key = clientIp(c.req.raw.headers)
    const counted = c.get('rateLimited')
    if (counted?.policy === 'anonymous' && counted.key === key) return
    const admission = await limiter.admit(c, policy, key)
    if (admission === null) return
    const headers = rateLimitHeaders(policy, admission.decision)
    spanAttributes({ 'ratelimit.refusal': true, 'ratelimit.refusal_allowed': admission.decision.allowed })
    if (!admission.decision.allowed) {
      await c.res.body?.cancel()
      c.res = refused(c, headers)
      return
    }
    // A refusal already carries the headers of the policy that counted it; otherwise the anonymous one's.
    if (!counted) withHeaders(c, headers)
  }
}
