/**
 * The gateway's bindings: everything its wrangler.toml declares comes from `wrangler types`
 * (../worker-configuration.d.ts, `npm run types`); below are only what the config cannot
 * declare: secrets, and the optional knobs a `.dev.vars` or a deployed environment sets.
 */
export interface Env extends GatewayBindings {
  /** Secret: the ES256 private JWK that signs the gateway credential. */
  GATEWAY_PRIVATE_KEY?: string
  /** `off` turns rate limiting off (benchmark baseline only, bench/README.md). */
  RATE_LIMITING?: string
  /** `enabled` only in local development: PUT /api/v1/admin/faults/{service}. */
  FAULT_INJECTION?: string
  /** The first open period of a breaker in ms (30 s in production; local development uses less). */
  CIRCUIT_BREAKER_OPEN_MS?: string
  /** `off` turns the resilience layer off (benchmark baseline); see resilience/layer.ts for the other knobs. */
  RESILIENCE?: string
  UPSTREAM_TIMEOUT_MS?: string
  UPSTREAM_DEADLINE_MS?: string
  UPSTREAM_MAX_CONCURRENT?: string
}
