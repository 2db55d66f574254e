import { app } from './app'
import type { Env } from './env'

/** Durable Object classes this Worker hosts (DESIGN §2). */
export { RateLimiter } from '../../../durable-objects/rate-limiter/rate-limiter'
export { CircuitBreaker } from '../../../durable-objects/circuit-breaker/circuit-breaker'

export default { fetch: app.fetch } satisfies ExportedHandler<Env>
