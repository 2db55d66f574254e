import { app } from './app'
import type { Env } from './env'

/** Durable Object classes this Worker hosts (DESIGN §2). */
export { CircuitBreaker } from '../../../durable-objects/circuit-breaker/circuit-breaker'

export default { fetch: app.fetch } satisfies ExportedHandler<Env>
