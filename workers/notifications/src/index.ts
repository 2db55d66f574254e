import { instrumentWorker } from '../../../platform/telemetry/tracing'
import { app } from './app'
import type { Env } from './env'
import { maintainNotifications } from './maintenance'
import { handleQueue } from './events/queue'
import { backgroundServices } from './services'

export default instrumentWorker('notifications', {
  fetch: app.fetch,

  async queue(batch, env) {
    await handleQueue(batch, env.DB, () => backgroundServices(env))
  },

  /** Retries deliveries that failed, or whose first attempt never finished; keeps its tables bounded (./maintenance). */
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(backgroundServices(env).delivery.retryDue().then(() => undefined))
    ctx.waitUntil(maintainNotifications(env))
  },
} satisfies ExportedHandler<Env>)
