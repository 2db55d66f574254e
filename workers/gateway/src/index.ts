import { instrumentDurableObject, instrumentWorker } from '../../../platform/telemetry/tracing'
import { fetchGateway } from './app'
import type { Env } from './env'
import { gatewayServices } from './services'
import { gatewayConfig } from './config'
import { sweepServices } from './sweep'

import { RateLimiter as RateLimiterClass } from '../../../durable-objects/rate-limiter/rate-limiter'
import { CircuitBreaker as CircuitBreakerClass } from '../../../durable-objects/circuit-breaker/circuit-breaker'

const SERVICE = 'gateway'

/** Durable Object classes this Worker hosts, traced when a collector is configured. */
export const RateLimiter = instrumentDurableObject(SERVICE, RateLimiterClass)
export const CircuitBreaker = instrumentDurableObject(SERVICE, CircuitBreakerClass)

export default instrumentWorker(SERVICE, {
  fetch: fetchGateway,
  /** The environment's one cron trigger: every service's sweep, over its service binding (./sweep.ts). */
  scheduled(controller, env, ctx) {
    // A bad var throws here, so the cron run fails visibly rather than sweeping with defaults.
    ctx.waitUntil(sweepServices(gatewayServices(env, gatewayConfig(env)), controller.scheduledTime).then(() => undefined))
  },
} satisfies ExportedHandler<Env>)
