import { drainOutbox } from '../../../../platform/events/outbox'
import type { SweepReport } from '../../../../platform/http/sweep'
import { sagaClient } from '../../../../durable-objects/saga-coordinator/client'
import type { Env } from '../env'
import { shardsOf } from '../../../../platform/db/shards'
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
  const client = sagaClient(env.SAGAS)
  const now = new Date()
  // Each shard on its own (docs/adr/0067), and the report summed over them.
  const shards = await Promise.all(
    shardsOf(env).map(async (db) => {
      const [outbox, sagas] = await Promise.all([
        drainOutbox(db, env),
        startLostSagas(createSagasRepo(db), client, now),
        maintainOrders(env, db),
      ])
      return { outbox_sent: outbox.sent, outbox_failed: outbox.failed, sagas_started: sagas }
    }),
  )
  return shards.reduce((total, shard) => ({
    outbox_sent: total.outbox_sent + shard.outbox_sent,
    outbox_failed: total.outbox_failed + shard.outbox_failed,
    sagas_started: total.sagas_started + shard.sagas_started,
  }))
}
