import type { Route } from '../../../shared-contracts/routes'
import type { CircuitBreaker } from '../../../durable-objects/circuit-breaker/circuit-breaker'
import type { RateLimiter } from '../../../durable-objects/rate-limiter/rate-limiter'
import type { Principal } from '../../../platform/auth/principal'
import type { RedMetrics } from '../../../platform/telemetry/metrics'
import type { GatewayServices } from './gateway-services'
import type { RateLimitSubject } from './middleware/rate-limit-policy'

/** Bindings from the root wrangler.toml, its secrets, and `.dev.vars` in local development. */
export interface Env {
  USERS: Fetcher
  INVENTORY: Fetcher
  PAYMENTS: Fetcher
  NOTIFICATIONS: Fetcher
  ORDERS: Fetcher
  ENVIRONMENT: string
  JWT_ISSUER: string
  JWT_AUDIENCE: string
  CORS_ALLOWED_ORIGINS: string
  MAX_BODY_BYTES: string
  /** How long a request body may take to arrive in full, in ms (default 10000): 408 beyond it. */
  CLIENT_BODY_TIMEOUT_MS?: string
  GATEWAY_PRIVATE_KEY?: string
  /** One RateLimiter object per policy and key (durable-objects/rate-limiter). */
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>
  /** Rate limit policies as `<limit>/<window seconds>`; the production defaults when absent. */
  RATE_LIMIT_AUTH?: string
  RATE_LIMIT_USER?: string
  RATE_LIMIT_ANONYMOUS?: string
  /** `off` turns rate limiting off (benchmark baseline only, bench/README.md). */
  RATE_LIMITING?: string
  /** `enabled` only in local development: PUT /api/v1/admin/faults/{service}. */
  FAULT_INJECTION?: string
  /** One CircuitBreaker object per downstream service (durable-objects/circuit-breaker). */
  CIRCUIT_BREAKERS: DurableObjectNamespace<CircuitBreaker>
  /** The first open period of a breaker in ms (30 s in production; local development uses less). */
  CIRCUIT_BREAKER_OPEN_MS?: string
  /** `off` turns the resilience layer off (benchmark baseline); see resilience/layer.ts for the other knobs. */
  RESILIENCE?: string
  UPSTREAM_TIMEOUT_MS?: string
  UPSTREAM_DEADLINE_MS?: string
  UPSTREAM_MAX_CONCURRENT?: string
  /** The cache of anonymous public reads (./edge-cache): `off` turns it off (the benchmark); its bounds per isolate. */
  GATEWAY_CACHE?: string
  GATEWAY_CACHE_MAX_ENTRIES?: string
  GATEWAY_CACHE_MAX_BYTES?: string
  /** RED metrics (Workers Analytics Engine); absent → not recorded (platform/telemetry/metrics). */
  METRICS?: AnalyticsEngineDataset
}

export interface GatewayEnv {
  Bindings: Env
  Variables: {
    requestId: string
    services: GatewayServices
    principal: Principal | null
    route: Route
    metrics: RedMetrics
    /** The quota the rate limiter took this request's unit from, once it has. */
    rateLimited?: RateLimitSubject
    /** Set once the request was handed to its service: its answer is the service's, not a refusal. */
    forwarded?: boolean
  }
}
