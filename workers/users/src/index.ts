import { instrumentWorker } from '../../../platform/telemetry/tracing'
import { drainOutbox } from '../../../platform/events/outbox'
import { app } from './app'
import type { Env } from './env'
import { maintainUsers } from './maintenance'

export default instrumentWorker('users', {
  fetch: app.fetch,
  /** The outbox sweep (cron): sends whatever the relay after a response could not; keeps the tables bounded (./maintenance). */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(drainOutbox(env.DB, env).then(() => undefined))
    ctx.waitUntil(maintainUsers(env))
  },
} satisfies ExportedHandler<Env>)
