import { currentTraceparent } from '../../platform/telemetry/trace-context'
import type { GcraLimit } from './gcra'
import type { RateLimitDecision, RateLimiter } from './rate-limiter'

export type { RateLimitDecision } from './rate-limiter'

/** The typed client: one RateLimiter object per policy and key (`auth:203.0.113.7`, `user:u_123`). */
export function rateLimiterClient(namespace: DurableObjectNamespace<RateLimiter>) {
  return {
    /** One round trip: decides the request and takes its units if allowed. Rejects if the object cannot be reached. */
    check(policy: string, key: string, limit: GcraLimit): Promise<RateLimitDecision> {
      const stub = namespace.get(namespace.idFromName(`${policy}:${key}`))
      return stub.check(limit, currentTraceparent()) as Promise<RateLimitDecision>
    },
  }
}
export type RateLimiterClient = ReturnType<typeof rateLimiterClient>
