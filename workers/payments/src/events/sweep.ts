import { drainOutbox } from '../../../../platform/events/outbox'
import type { SweepReport } from '../../../../platform/http/sweep'
import type { Env } from '../env'
import { maintainPayments } from '../service/maintenance'

/**
 * The payments Worker's periodic work, asked for by the gateway's cron every minute
 * (`POST /internal/sweep`): sends whatever the outbox relay after a write could not, and keeps
 * its tables bounded (../maintenance: retention in bounded batches).
 */
export async function sweep(env: Env): Promise<SweepReport> {
  const [outbox] = await Promise.all([drainOutbox(env.DB, env), maintainPayments(env)])
  return { outbox_sent: outbox.sent, outbox_failed: outbox.failed }
}
