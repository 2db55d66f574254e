import { currentTraceparent } from '../../platform/telemetry/trace-context'
import type { GcraTake } from './gcra'
import type { RateLimitGrant, RateLimiter } from './rate-limiter'

export type { RateLimitDecision, RateLimitGrant } from './rate-limiter'

/** The typed client: one RateLimiter object per policy and key (`auth:203.0.113.7`, `user:u_123`). */
export function rateLimiterClient(namespace: DurableObjectNamespace<RateLimiter>) {
  return {
    /**
     * One round trip: decides the request, takes its units if allowed, and grants up to
     * `take.extra` more for the isolate's lease. Rejects if the object cannot be reached.
     */
    take(policy: string, key: string, take: GcraTake): Promise<RateLimitGrant> {
      const stub = namespace.get(namespace.idFromName(`${policy}:${key}`))
      return stub.take(take, currentTraceparent()) as Promise<RateLimitGrant>
    },
  }
}

export type RateLimiterClient = ReturnType<typeof rateLimiterClient>
