import type { Caller } from '../../../platform/auth/internal-credential'
import type { Principal } from '../../../platform/auth/principal'
import type { RateLimiterClient } from '../../../durable-objects/rate-limiter/client'
import type { Result } from '../../../shared-contracts/errors'
import type { ServiceName } from '../../../shared-contracts/routes'
import type { GatewayCache } from './gateway-cache/gateway-cache'

// What `services()` (./services.ts) puts on every request's context: the shape alone, so the
// environment's types (./env.ts) can name it without importing the code that builds it.

export interface GatewayServices {
  /** The Worker behind each service name: the gateway's service registry. */
  binding(service: ServiceName): Fetcher
  /** The credential for a forwarded request: one signed credential is reused for a while (ADR 0002). */
  forwardCredential(service: ServiceName, caller: Caller): Promise<string>
  /** Verifies a bearer token, reusing successful verifications for up to a minute (auth/access-token.ts). */
  verifyToken(token: string): Promise<Result<Principal>>
  /** Calls a service's own (internal) route as the gateway, with a credential for `caller`. */
  call(service: ServiceName, path: string, options: InternalCallOptions): Promise<Response>
  /** The rate limiter Durable Objects, one per policy and key. */
  rateLimiter: RateLimiterClient
  /** This isolate's cache of anonymous public reads (./gateway-cache); one that is always bypassed (`NO_GATEWAY_CACHE`) when GATEWAY_CACHE is `off`. */
  gatewayCache: GatewayCache
}

export interface InternalCallOptions {
  caller: Caller
  method?: string
  /** Sent as JSON. */
  body?: unknown
  timeoutMs?: number
}
