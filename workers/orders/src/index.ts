import { instrumentDurableObject, instrumentWorker } from '../../../platform/telemetry/tracing'
import { drainOutbox } from '../../../platform/events/outbox'
import { app } from './app'
import type { Env } from './env'
import { handleQueue } from './events/queue'
import { maintainOrders } from './maintenance'
import { createSagasRepo } from './repo/sagas-repo'
import { startLostSagas } from './service/saga-sweep'
import { sagaClient } from '../../../durable-objects/saga-coordinator/client'

import { SagaCoordinator as SagaCoordinatorClass } from '../../../durable-objects/saga-coordinator/saga-coordinator'

/** The saga coordinator this Worker hosts, traced when a collector is configured. */
export const SagaCoordinator = instrumentDurableObject('orders', SagaCoordinatorClass)

export default instrumentWorker('orders', {
  fetch: app.fetch,

  /** orders-events feeds the read model; orders-events-dlq keeps what exhausted its retries. */
  async queue(batch, env) {
    await handleQueue(batch, env)
  },

  /**
   * The sweep (cron): sends whatever the outbox relays could not, starts sagas whose start was
   * lost, and keeps the tables bounded and the read model reconciled (./maintenance).
   */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(drainOutbox(env.DB, env).then(() => undefined))
    ctx.waitUntil(startLostSagas(createSagasRepo(env.DB), sagaClient(env.SAGAS), new Date()).then(() => undefined))
    ctx.waitUntil(maintainOrders(env))
  },
} satisfies ExportedHandler<Env>)
