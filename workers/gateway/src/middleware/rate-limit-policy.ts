import { toSeconds } from '../../../../durable-objects/rate-limiter/gcra'
import type { RateLimitDecision } from '../../../../durable-objects/rate-limiter/client'
import type { Principal } from '../../../../platform/auth/principal'
import type { RateLimitPolicyName, Route } from '../../../../shared-contracts/routes'

/** A policy as configured: `<limit>/<window seconds>`, e.g. `10/60`. */
export type RateLimitSetting = string

/** Login and register 10/min per client IP, signed-in 600/min per user, other anonymous 120/min per IP. */
export const DEFAULT_RATE_LIMITS: Record<RateLimitPolicyName, RateLimitSetting> = {
  auth: '10/60',
  user: '600/60',
  anonymous: '120/60',
}

export interface RateLimitPolicy {
  name: RateLimitPolicyName
  limit: number
  periodMs: number
  windowSeconds: number
  /** The `RateLimit-Policy` header value: the same on every response of this policy. */
  header: string
}

const SETTING = /^\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*$/

/** Parses `<limit>/<seconds>`; throws on anything else, so bad configuration stops start-up. */
export function parsePolicy(name: RateLimitPolicyName, setting: RateLimitSetting): RateLimitPolicy {
  const match = SETTING.exec(setting)
  const limit = Number(match?.[1])
  const windowSeconds = Number(match?.[2])
  if (!match || limit < 1 || windowSeconds < 1) {
    throw new Error(`rate limit "${name}" must be "<limit>/<window seconds>" with both at least 1, got "${setting}"`)
  }
  return { name, limit, periodMs: windowSeconds * 1000, windowSeconds, header: `"${name}";q=${limit};w=${windowSeconds}` }
}

/**
 * Every policy from its setting, a missing one taking its default: the policies, and a problem
 * naming the var (`RATE_LIMIT_<NAME>`) for each setting that is not `<limit>/<window seconds>`.
 */
export function parsePolicies(settings: Partial<Record<RateLimitPolicyName, RateLimitSetting | undefined>>): {
  policies: Record<RateLimitPolicyName, RateLimitPolicy>
  problems: string[]
} {
  const policies = {} as Record<RateLimitPolicyName, RateLimitPolicy>
  const problems: string[] = []
  for (const name of Object.keys(DEFAULT_RATE_LIMITS) as RateLimitPolicyName[]) {
    try {
      policies[name] = parsePolicy(name, settings[name] ?? DEFAULT_RATE_LIMITS[name])
    } catch (error) {
      problems.push(`RATE_LIMIT_${name.toUpperCase()} ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return { policies, problems }
}

/** Who a request is counted against, and under which policy. */
export interface RateLimitSubject {
  policy: RateLimitPolicyName
  key: string
}

/** The client's address as Cloudflare reports it (`CF-Connecting-IP`); never a client-written header. */
export function clientIp(headers: Headers): string {
  return headers.get('CF-Connecting-IP')?.trim() || 'unknown'
}

/**
 * Credential endpoints count per client IP whoever calls them (guessing passwords is what
 * they limit); otherwise a signed-in caller counts per user id, an anonymous one per IP.
 * The IP is `CF-Connecting-IP`, which Cloudflare sets; `X-Forwarded-For` is client-written
 * and never read.
 */
export function subjectOf(route: Route, principal: Principal | null, headers: Headers): RateLimitSubject {
  const ip = clientIp(headers)
  if (route.rateLimit === 'auth') return { policy: 'auth', key: ip }
  if (principal !== null) return { policy: 'user', key: principal.id }
  return { policy: 'anonymous', key: ip }
}

/**
 * The IETF httpapi `RateLimit` header (draft-ietf-httpapi-ratelimit-headers), structured-field
 * form: `r` units remaining, `t` seconds until the quota is whole again — or, when refused,
 * until a request is admitted again (then equal to `Retry-After`).
 */
export function rateLimitHeaders(policy: RateLimitPolicy, decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = { 'RateLimit-Policy': policy.header }
  if (decision.allowed) {
    headers.RateLimit = `"${policy.name}";r=${decision.remaining};t=${toSeconds(decision.resetMs)}`
    return headers
  }
  // Never earlier than the moment the limiter admits again; at least 1 s; a request that can
  // never be admitted (cost over the burst) is told one whole window.
  const retryAfter = Number.isFinite(decision.retryAfterMs) ? Math.max(1, toSeconds(decision.retryAfterMs)) : policy.windowSeconds
  headers.RateLimit = `"${policy.name}";r=${decision.remaining};t=${retryAfter}`
  headers['Retry-After'] = String(retryAfter)
  return headers
}
