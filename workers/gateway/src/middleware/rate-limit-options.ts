import type { RateLimitPolicyName } from '../../../../shared-contracts/routes'
import type { LeaseOptions } from './rate-limit-lease'
import type { RateLimitPolicy, RateLimitSetting } from './rate-limit-policy'

// The limiter's options, apart from the middleware: the gateway's config builds them.

/** A limiter that has not answered by then is treated as unreachable, unless `RATE_LIMIT_TIMEOUT_MS` says otherwise. */
export const LIMITER_TIMEOUT_MS = 1_000

/**
 * Each policy as `<limit>/<window seconds>`; a missing one takes its production default.
 * `disabled`: no limiting at all — only the benchmarks' baseline sets it (`RATE_LIMITING=off`).
 * `leases`: how much of a busy key an isolate may hold (DEFAULT_LEASES; tests set their own).
 * `policies`: the settings already parsed (the gateway's config parses them once); the limiter
 * then takes them as they are. `timeoutMs`: how long a call to a key's object may take before the
 * limiter counts as unreachable (`RATE_LIMIT_TIMEOUT_MS`; LIMITER_TIMEOUT_MS unless set).
 */
export type RateLimitOptions = Partial<Record<RateLimitPolicyName, RateLimitSetting | undefined>> & {
  disabled?: boolean
  policies?: Record<RateLimitPolicyName, RateLimitPolicy>
  leases?: Partial<Omit<LeaseOptions, 'now'>>
  timeoutMs?: number
}

/**
 * Reads the policies from the gateway's vars (`RATE_LIMIT_AUTH`, `RATE_LIMIT_USER`, `RATE_LIMIT_ANONYMOUS`).
 * `RATE_LIMITING=off` turns limiting off: the benchmarks' baseline for what the limiter costs
 * (bench/README.md). Only that exact value turns it off; absent or anything else, it is on.
 */
export function rateLimitOptionsFrom(
  env: Partial<Record<'RATE_LIMIT_AUTH' | 'RATE_LIMIT_USER' | 'RATE_LIMIT_ANONYMOUS' | 'RATE_LIMITING', string>>,
): RateLimitOptions {
  return {
    auth: env.RATE_LIMIT_AUTH,
    user: env.RATE_LIMIT_USER,
    anonymous: env.RATE_LIMIT_ANONYMOUS,
    disabled: env.RATE_LIMITING === 'off',
  }
}
