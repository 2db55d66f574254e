import { drainOutbox } from '../../../../platform/events/outbox'
import type { SweepReport } from '../../../../platform/http/sweep'
import { sagaClient } from '../../../../durable-objects/saga-coordinator/client'
import type { Env } from '../env'
import { createSagasRepo } from '../repo/sagas-repo'
import { startLostSagas } from '../service/saga-sweep'
import { maintainOrders } from '../service/maintenance'

/**
 * The orders Worker's periodic work, asked for by the gateway's cron every minute
 * (`POST /internal/sweep`): sends whatever the outbox relays could not, and starts the sagas
 * whose start was lost, keeps its tables bounded and reconciles the read model (../maintenance).
 * They are independent: one failing does not stop the others.
 */
export async function sweep(env: Env): Promise<SweepReport> {
  const [outbox, sagas] = await Promise.all([
    drainOutbox(env.DB, env),
    startLostSagas(createSagasRepo(env.DB), sagaClient(env.SAGAS), new Date()),
    maintainOrders(env),
  ])
  return { outbox_sent: outbox.sent, outbox_failed: outbox.failed, sagas_started: sagas }
}
