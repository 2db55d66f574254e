import type { MiddlewareHandler } from 'hono'
import { problem } from '../../../../platform/errors/problem'
import { createLogger } from '../../../../platform/telemetry/log'
import { spanAttributes, spanEvent } from '../../../../platform/telemetry/trace-context'
import type { RateLimitPolicyName } from '../../../../shared-contracts/routes'
import { deferFor } from '../defer'
import type { GatewayEnv } from '../env'
import { DEFAULT_LEASES, RateLimitLeases, type Ask, type LeaseOptions } from './rate-limit-lease'
import { DEFAULT_RATE_LIMITS, parsePolicy, rateLimitHeaders, subjectOf, type RateLimitPolicy, type RateLimitSetting } from './rate-limit-policy'

/**
 * Each policy as `<limit>/<window seconds>`; a missing one takes its DESIGN §5 default.
 * `disabled`: no limiting at all — only the benchmarks' baseline sets it (`RATE_LIMITING=off`).
 * `leases`: how much of a busy key an isolate may hold (DEFAULT_LEASES; tests set their own).
 */
export type RateLimitOptions = Partial<Record<RateLimitPolicyName, RateLimitSetting | undefined>> & {
  disabled?: boolean
  leases?: Partial<Omit<LeaseOptions, 'now'>>
}

const log = createLogger('gateway').with({ component: 'rate-limiter' })

/** A limiter that has not answered by then is treated as unreachable. */
const LIMITER_TIMEOUT_MS = 1_000
const UNAVAILABLE_RETRY_AFTER_S = '5'

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the rate limiter did not answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Reads the policies from the gateway's vars (`RATE_LIMIT_AUTH`, `RATE_LIMIT_USER`, `RATE_LIMIT_ANONYMOUS`).
 * `RATE_LIMITING=off` turns limiting off: the benchmarks' baseline for what the limiter costs
 * (bench/README.md). Only that exact value turns it off; absent or anything else, it is on.
 */
export function rateLimitOptionsFrom(
  env: Partial<Record<'RATE_LIMIT_AUTH' | 'RATE_LIMIT_USER' | 'RATE_LIMIT_ANONYMOUS' | 'RATE_LIMITING', string>>,
): RateLimitOptions {
  return { auth: env.RATE_LIMIT_AUTH, user: env.RATE_LIMIT_USER, anonymous: env.RATE_LIMIT_ANONYMOUS, disabled: env.RATE_LIMITING === 'off' }
}

/**
 * Counts every routed request against its policy (`rate-limit-policy.ts`) and answers 429
 * `quota_exceeded` with `Retry-After` once the quota is spent. The count is kept by the key's
 * RateLimiter Durable Object; a busy key's requests spend units this isolate leased from it
 * (`rate-limit-lease.ts`, docs/adr/0013) and only a request that finds none waits for the
 * object. Every answer of a limited route carries `RateLimit-Policy` and `RateLimit`. If the
 * limiter cannot be reached the route decides: `fail-open` (default) lets the request
 * through, `fail-closed` answers 503.
 */
export function rateLimit(options: RateLimitOptions = {}): MiddlewareHandler<GatewayEnv> {
  const policies = Object.fromEntries(
    (Object.keys(DEFAULT_RATE_LIMITS) as RateLimitPolicyName[]).map((name) => [name, parsePolicy(name, options[name] ?? DEFAULT_RATE_LIMITS[name])]),
  ) as Record<RateLimitPolicyName, RateLimitPolicy>
  if (options.disabled) return async (_c, next) => next()
  const leases = new RateLimitLeases({ ...DEFAULT_LEASES, ...options.leases, now: Date.now })

  return async function rateLimit(c, next) {
    const { route, principal, services } = c.var
    const subject = subjectOf(route, principal, c.req.raw.headers)
    const policy = policies[subject.policy]
    const ask = (take: Ask['take']) =>
      withTimeout(services.rateLimiter.take(policy.name, subject.key, { limit: policy.limit, periodMs: policy.periodMs, ...take }), LIMITER_TIMEOUT_MS)
    let decision = leases.spend(policy, subject.key)
    const leased = decision !== null
    if (decision) {
      const refill = leases.refill(policy, subject.key)
      if (refill) {
        deferFor(c)(
          ask(refill.take).then(refill.settle, (error: unknown) => {
            refill.fail()
            log.warn('rate limiter lease refill failed', { policy: policy.name, error })
          }),
        )
      }
    } else {
      const own = leases.ask(policy, subject.key)
      try {
        decision = own.settle(await ask(own.take))
      } catch (error) {
        own.fail()
        const failClosed = route.limiter === 'fail-closed'
        spanEvent('ratelimit.unavailable', { 'ratelimit.policy': policy.name, 'ratelimit.fail_closed': failClosed })
        log.error(`rate limiter unreachable, failing ${failClosed ? 'closed' : 'open'}`, { policy: policy.name, error })
        if (failClosed) return problem(c, { code: 'service_unavailable' }, { 'Retry-After': UNAVAILABLE_RETRY_AFTER_S })
        return next()
      }
    }
    const headers = rateLimitHeaders(policy, decision)
    // The decision on the request's span: an operator sees why a request was (or was not) limited.
    // `ratelimit.leased`: spent from this isolate's lease, with no call to the limiter (no RateLimiter span).
    spanAttributes({ 'ratelimit.policy': policy.name, 'ratelimit.allowed': decision.allowed, 'ratelimit.remaining': decision.remaining, 'ratelimit.leased': leased })
    if (!decision.allowed) {
      return problem(c, { code: 'quota_exceeded', detail: `Too many requests; try again in ${headers['Retry-After']} s.` }, headers)
    }
    await next()
    try {
      for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value)
    } catch {
      // A response passed through as it came has immutable headers: copy it once.
      c.res = new Response(c.res.body, c.res)
      for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value)
    }
  }
}
