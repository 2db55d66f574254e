import { instrumentWorker } from '../../../platform/telemetry/tracing'
import { app } from './app'
import type { Env } from './env'

// No cron of its own: the gateway's asks for its sweep (./events/sweep.ts) over the service binding.
export default instrumentWorker('users', {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>)
