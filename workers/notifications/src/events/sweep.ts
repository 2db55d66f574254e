import type { SweepReport } from '../../../../platform/http/sweep'
import type { Env } from '../env'
import { maintainNotifications } from '../service/maintenance'
import { backgroundServices } from '../services'

/**
 * The notifications Worker's periodic work, asked for by the gateway's cron every minute
 * (`POST /internal/sweep`): retries deliveries that failed, or whose first attempt never finished, and keeps its tables
 * bounded (../maintenance: retention in bounded batches).
 */
export async function sweep(env: Env): Promise<SweepReport> {
  const [report] = await Promise.all([backgroundServices(env).delivery.retryDue(), maintainNotifications(env)])
  return { deliveries_attempted: report.attempted, deliveries_delivered: report.delivered }
}
