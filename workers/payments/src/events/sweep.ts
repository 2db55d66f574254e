import { drainOutbox } from '../../../../platform/events/outbox'
import type { SweepReport } from '../../../../platform/http/sweep'
import type { Env } from '../env'

/**
 * The payments Worker's periodic work, asked for by the gateway's cron every minute
 * (`POST /internal/sweep`): sends whatever the outbox relay after a write could not.
 */
export async function sweep(env: Env): Promise<SweepReport> {
  const outbox = await drainOutbox(env.DB, env)
  return { outbox_sent: outbox.sent, outbox_failed: outbox.failed }
}
