import type { Context, MiddlewareHandler } from 'hono'
import type { RateLimitDecision } from '../../../../durable-objects/rate-limiter/client'
import { withTimeout } from '../../../../platform/resilience/timeout'
import { problem } from '../../../../platform/errors/problem'
import { createLogger } from '../../../../platform/telemetry/log'
import { spanAttributes, spanEvent } from '../../../../platform/telemetry/trace-context'
import type { RateLimitPolicyName } from '../../../../shared-contracts/routes'
import { deferFor } from '../defer'
import type { GatewayEnv } from '../services'
import { DEFAULT_LEASES, RateLimitLeases, type Ask } from './rate-limit-lease'
import type { RateLimitOptions } from './rate-limit-options'
import { parsePolicies, rateLimitHeaders, subjectOf, type RateLimitPolicy } from './rate-limit-policy'

const log = createLogger('gateway').with({ component: 'rate-limiter' })

/** A limiter that has not answered by then is treated as unreachable. */
const LIMITER_TIMEOUT_MS = 1_000
const UNAVAILABLE_RETRY_AFTER_S = '5'

/** The policies of settings no config parsed (a test's, say); a bad one throws, so the middleware fails at creation. */
function parsedPolicies(options: RateLimitOptions): Record<RateLimitPolicyName, RateLimitPolicy> {
  const { policies, problems } = parsePolicies(options)
  if (problems.length > 0) throw new Error(problems.join('; '))
  return policies
}

/** What the limiter decided for one request, and whether this isolate answered without the object (a held unit, or a refusal still in force). */
export interface Admission {
  decision: RateLimitDecision
  leased: boolean
}

/**
 * The policies and this isolate's leases (`rate-limit-lease.ts`, docs/adr/0013), shared by the
 * middleware that counts routed requests and the one that counts refusals, so both spend one
 * quota per key. A busy key's requests spend units this isolate leased from its RateLimiter
 * object; only a request that finds none waits for the object.
 */
export class Limiter {
  readonly disabled: boolean
  readonly policies: Record<RateLimitPolicyName, RateLimitPolicy>
  readonly #leases: RateLimitLeases

  constructor(options: RateLimitOptions = {}) {
    this.policies = options.policies ?? parsedPolicies(options)
    this.disabled = options.disabled === true
    this.#leases = new RateLimitLeases({ ...DEFAULT_LEASES, ...options.leases, now: Date.now })
  }

  /** Takes one unit of `key` under `policy`; null when the limiter could not be reached. */
  async admit(c: Context<GatewayEnv>, policy: RateLimitPolicy, key: string): Promise<Admission | null> {
    const ask = (take: Ask['take']) =>
      withTimeout(LIMITER_TIMEOUT_MS, () =>
        c.var.services.rateLimiter.take(policy.name, key, { limit: policy.limit, periodMs: policy.periodMs, ...take }),
      )
    const held = this.#leases.spend(policy, key)
    if (held) {
      const refill = this.#leases.refill(policy, key)
      if (refill) {
        deferFor(c)(
          ask(refill.take).then(refill.settle, (error: unknown) => {
            refill.fail()
            log.warn('rate limiter lease refill failed', { policy: policy.name, error })
          }),
        )
      }
      return { decision: held, leased: true }
    }
    // Refused a moment ago and its Retry-After has not passed: refused again without asking.
    const refusal = this.#leases.refusal(policy, key)
    if (refusal) return { decision: refusal, leased: true }
    const own = this.#leases.ask(policy, key)
    try {
      return { decision: own.settle(await ask(own.take)), leased: false }
    } catch (error) {
      own.fail()
      log.error('rate limiter unreachable', { policy: policy.name, error })
      return null
    }
  }
}

export const limiterOf = (options: RateLimitOptions | Limiter) => (options instanceof Limiter ? options : new Limiter(options))

/** Sets the rate-limit headers on a response, copying it once if its headers are immutable. */
export function withHeaders(c: Context, headers: Record<string, string>): void {
  try {
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value)
  } catch {
    // A response passed through as it came has immutable headers: copy it once.
    c.res = new Response(c.res.body, c.res)
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value)
  }
}

export const refused = (c: Context, headers: Record<string, string>) =>
  problem(c, { code: 'quota_exceeded', detail: `Too many requests; try again in ${headers['Retry-After']} s.` }, headers)

/**
 * Counts every routed request against its policy (`rate-limit-policy.ts`) and answers 429
 * `quota_exceeded` with `Retry-After` once the quota is spent. Every answer of a limited route
 * carries `RateLimit-Policy` and `RateLimit`. If the limiter cannot be reached the route
 * decides: `fail-open` (default) lets the request through, `fail-closed` answers 503.
 */
export function rateLimit(options: RateLimitOptions | Limiter = {}): MiddlewareHandler<GatewayEnv> {
  const limiter = limiterOf(options)
  if (limiter.disabled) return async (_c, next) => next()

  return async function rateLimit(c, next) {
    const { route, principal } = c.var
    const subject = subjectOf(route, principal, c.req.raw.headers)
    const policy = limiter.policies[subject.policy]
    const admission = await limiter.admit(c, policy, subject.key)
    if (admission === null) {
      const failClosed = route.limiter === 'fail-closed'
      spanEvent('ratelimit.unavailable', { 'ratelimit.policy': policy.name, 'ratelimit.fail_closed': failClosed })
      if (failClosed) return problem(c, { code: 'service_unavailable' }, { 'Retry-After': UNAVAILABLE_RETRY_AFTER_S })
      return next()
    }
    c.set('rateLimited', subject)
    const { decision, leased } = admission
    const headers = rateLimitHeaders(policy, decision)
    // The decision on the request's span: an operator sees why a request was (or was not) limited.
    // `ratelimit.leased`: decided by this isolate (a leased unit, or a refusal still in force), with no call to the limiter (no RateLimiter span).
    spanAttributes({
      'ratelimit.policy': policy.name,
      'ratelimit.allowed': decision.allowed,
      'ratelimit.remaining': decision.remaining,
      'ratelimit.leased': leased,
    })
    if (!decision.allowed) return refused(c, headers)
    await next()
    withHeaders(c, headers)
  }
}
