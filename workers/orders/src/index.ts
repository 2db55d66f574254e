import { drainOutbox } from '../../../platform/events/outbox'
import { app } from './app'
import type { Env } from './env'
import { handleQueue } from './events/queue'

export { SagaCoordinator } from '../../../durable-objects/saga-coordinator/saga-coordinator'

export default {
  fetch: app.fetch,

  /** orders-events feeds the read model; orders-events-dlq keeps what exhausted its retries. */
  async queue(batch, env) {
    await handleQueue(batch, env)
  },

  /** The outbox sweep (cron): sends whatever the relay after a response could not. */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(drainOutbox(env.DB, env).then(() => undefined))
  },
} satisfies ExportedHandler<Env>
