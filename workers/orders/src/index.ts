import { instrumentDurableObject, instrumentWorker } from '../../../platform/telemetry/tracing'
import { app } from './app'
import type { Env } from './env'
import { handleQueue } from './events/queue'

import { SagaCoordinator as SagaCoordinatorClass } from './saga/saga-coordinator'

/** The saga coordinator this Worker hosts, traced when a collector is configured. */
export const SagaCoordinator = instrumentDurableObject('orders', SagaCoordinatorClass)

// No cron of its own: the gateway's asks for its sweep (./events/sweep.ts) over the service binding.
export default instrumentWorker('orders', {
  fetch: app.fetch,

  /** orders-events feeds the read model; orders-events-dlq keeps what exhausted its retries. */
  async queue(batch, env) {
    await handleQueue(batch, env)
  },
} satisfies ExportedHandler<Env>)
