import type { Context, MiddlewareHandler } from 'hono'
import type { RateLimitDecision, RateLimiterClient } from '../../../../durable-objects/rate-limiter/client'
import { withTimeout } from '../../../../platform/resilience/timeout'
import { problem } from '../../../../platform/errors/problem'
import { editHeaders } from '../../../../platform/http/edit-headers'
import { createLogger } from '../../../../platform/telemetry/log'
import { spanAttributes, spanEvent } from '../../../../platform/telemetry/trace-context'
import type { RateLimitPolicyName } from '../../../../shared-contracts/routes'
import { deferFor, type Defer } from '../defer'
import type { GatewayEnv } from '../services'
import { DEFAULT_LEASES, RateLimitLeases, type Ask } from './rate-limit-lease'
import { LIMITER_TIMEOUT_MS, type RateLimitOptions } from './rate-limit-options'
import { parsePolicies, rateLimitHeaders, subjectOf, type RateLimitPolicy } from './rate-limit-policy'

const log = createLogger('gateway').with({ component: 'rate-limiter' })

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
  readonly #timeoutMs: number

  constructor(options: RateLimitOptions = {}) {
    this.policies = options.policies ?? parsedPolicies(options)
    this.disabled = options.disabled === true
    this.#leases = new RateLimitLeases({ ...DEFAULT_LEASES, ...options.leases, now: Date.now })
    this.#timeoutMs = options.timeoutMs ?? LIMITER_TIMEOUT_MS
  }

  /**
   * Spends a unit this isolate holds for `key`, at once and without waiting on anything: the
   * request's (allowed) decision, or null when it holds none and must ask (`admit`). A lease
   * running low is refilled from the object in the background (`defer`).
   */
  spendHeld(rateLimiter: RateLimiterClient, defer: Defer, policy: RateLimitPolicy, key: string): RateLimitDecision | null {
    const held = this.#leases.spend(policy, key)
    if (!held) return null
    const refill = this.#leases.refill(policy, key)
    if (refill) {
      const refilled = asking(rateLimiter, policy, key, this.#timeoutMs)(refill.take)
      defer(
        refilled.then(refill.settle, (error: unknown) => {
          refill.fail()
          log.warn('rate limiter lease refill failed', { policy: policy.name, error })
        }),
      )
    }
    return held
  }

  /** Takes one unit of `key` under `policy`; null when the limiter could not be reached. */
  async admit(c: Context<GatewayEnv>, policy: RateLimitPolicy, key: string): Promise<Admission | null> {
    const rateLimiter = c.get('services').rateLimiter
    const held = this.spendHeld(rateLimiter, deferFor(c), policy, key)
    if (held) return { decision: held, leased: true }
    // Refused a moment ago and its Retry-After has not passed: refused again without asking.
    const refusal = this.#leases.refusal(policy, key)
    if (refusal) return { decision: refusal, leased: true }
    const own = this.#leases.ask(policy, key)
    try {
      return { decision: own.settle(await asking(rateLimiter, policy, key, this.#timeoutMs)(own.take)), leased: false }
    } catch (error) {
      own.fail()
      log.error('rate limiter unreachable', { policy: policy.name, error })
      return null
    }
  }
}

/** The take of one request (or a refill) from the key's object, given up on after `timeoutMs`. */
const asking = (rateLimiter: RateLimiterClient, policy: RateLimitPolicy, key: string, timeoutMs: number) => (take: Ask['take']) =>
  withTimeout(timeoutMs, () => rateLimiter.take(policy.name, key, { limit: policy.limit, periodMs: policy.periodMs, ...take }))

export const limiterOf = (options: RateLimitOptions | Limiter) => (options instanceof Limiter ? options : new Limiter(options))

/** Sets the rate-limit headers on the answer, copying it once if its headers are immutable. */
export function withHeaders(c: Context, headers: Record<string, string>): void {
  editHeaders(c, (answer) => {
    for (const name in headers) answer.set(name, headers[name]!)
  })
}

/**
 * The decision on the request's span: an operator sees why a request was (or was not) limited.
 * `ratelimit.leased`: decided by this isolate (a leased unit, or a refusal still in force), with
 * no call to the limiter (no RateLimiter span).
 */
export function traceAdmission(policy: RateLimitPolicy, decision: RateLimitDecision, leased: boolean): void {
  spanAttributes({
    'ratelimit.policy': policy.name,
    'ratelimit.allowed': decision.allowed,
    'ratelimit.remaining': decision.remaining,
    'ratelimit.leased': leased,
  })
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
    const route = c.get('route')
    const principal = c.get('principal')
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
    traceAdmission(policy, decision, leased)
    if (!decision.allowed) return refused(c, headers)
    await next()
    withHeaders(c, headers)
  }
}
