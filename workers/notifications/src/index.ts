import { instrumentWorker } from '../../../platform/telemetry/tracing'
import { app } from './app'
import type { Env } from './env'
import { handleQueue } from './events/queue'
import { backgroundServices } from './services'
import { notificationsConfig } from './config'

// No cron of its own: the gateway's asks for its sweep (./events/sweep.ts) over the service binding.
export default instrumentWorker('notifications', {
  fetch: app.fetch,

  async queue(batch, env) {
    // A bad var throws before any message is acked: the whole batch is retried.
    notificationsConfig(env)
    await handleQueue(batch, env.DB, () => backgroundServices(env))
  },
} satisfies ExportedHandler<Env>)
