import { BREAKER_VARS, breakerConfigOf } from '../../../durable-objects/circuit-breaker/config'
import { ConfigError, defineConfig } from '../../../platform/env/config'
import { durationMsVar, listVar, optionalTextVar, requiredTextVar } from '../../../platform/env/vars'
import { BODY_LIMIT_VARS, bodyLimitsOf } from '../../../platform/http/request-body'
import { REQUEST_LOG_VARS, requestLogOptionsOf } from '../../../platform/telemetry/request-log-policy'
import { GATEWAY_CACHE_VARS, gatewayCacheOptionsOf } from './gateway-cache/options'
import { LIMITER_TIMEOUT_MS, rateLimitOptionsFrom, type RateLimitOptions } from './middleware/rate-limit-options'
import { parsePolicies } from './middleware/rate-limit-policy'
import { RESILIENCE_VARS, resilienceConfigOf } from './resilience/config'

/** The rate limit policies, parsed now, once: a malformed `<limit>/<window>` is a configuration error; the limiter takes them as they are. */
function rateLimits(vars: Parameters<typeof rateLimitOptionsFrom>[0] & { RATE_LIMIT_TIMEOUT_MS: number }): RateLimitOptions {
  const options = rateLimitOptionsFrom(vars)
  const { policies, problems } = parsePolicies(options)
  if (problems.length > 0) throw new ConfigError(problems)
  return { ...options, policies, timeoutMs: vars.RATE_LIMIT_TIMEOUT_MS }
}

/**
 * Every var and secret the gateway reads, parsed once per configuration (docs/configuration.md).
 * JWT_ISSUER and JWT_AUDIENCE are required: a token is checked against what this deployment
 * names, never a default.
 */
export const gatewayConfig = defineConfig(
  {
    ENVIRONMENT: requiredTextVar(),
    JWT_ISSUER: requiredTextVar(),
    JWT_AUDIENCE: requiredTextVar(),
    /** Secret: the ES256 private JWK that signs the gateway credential. */
    GATEWAY_PRIVATE_KEY: optionalTextVar(),
    CORS_ALLOWED_ORIGINS: listVar(),
    ...BODY_LIMIT_VARS,
    RATE_LIMIT_AUTH: optionalTextVar(),
    RATE_LIMIT_USER: optionalTextVar(),
    RATE_LIMIT_ANONYMOUS: optionalTextVar(),
    /** `off` (exactly) turns rate limiting off: the benchmarks' baseline only. */
    RATE_LIMITING: optionalTextVar(),
    /** How long a limiter call may take before the limiter counts as unreachable (fail-open or fail-closed by route). */
    RATE_LIMIT_TIMEOUT_MS: durationMsVar(LIMITER_TIMEOUT_MS),
    ...GATEWAY_CACHE_VARS,
    ...RESILIENCE_VARS,
    ...BREAKER_VARS,
    ...REQUEST_LOG_VARS,
  },
  (vars) => ({
    environment: vars.ENVIRONMENT,
    token: { issuer: vars.JWT_ISSUER, audience: vars.JWT_AUDIENCE },
    privateKey: vars.GATEWAY_PRIVATE_KEY,
    corsOrigins: vars.CORS_ALLOWED_ORIGINS,
    bodyLimits: bodyLimitsOf(vars),
    rateLimits: rateLimits(vars),
    gatewayCache: gatewayCacheOptionsOf(vars),
    resilience: resilienceConfigOf(vars),
    breaker: breakerConfigOf(vars),
    requestLog: requestLogOptionsOf(vars),
  }),
)

export type GatewayConfig = ReturnType<typeof gatewayConfig>
