import { createLogger, type Logger } from '../../../../platform/telemetry/log'
import type { ViewRepairRepo } from '../repo/view-repair-repo'

/** A view may lag its aggregate this long (events in flight) before reconciliation repairs it. */
export const RECONCILE_LAG_MS = 60_000
const REBUILD_PAGE = 200
const RECONCILE_BATCH = 500

/** Where reconciliation counts what it repaired (Analytics Engine; absent: nowhere). */
export interface RepairMetrics {
  writeDataPoint(point: AnalyticsEngineDataPoint): void
}

/**
 * Recomputes the whole read model from the aggregate, page by page in id order. Safe while
 * events keep arriving: each page reads and writes in one statement, and never writes a view
 * that is ahead of what it read. Answers how many view rows it changed.
 */
export async function rebuildReadModel(repo: ViewRepairRepo): Promise<number> {
  let after = ''
  let rebuilt = 0
  for (;;) {
    const ids = await repo.idsAfter(after, REBUILD_PAGE)
    if (ids.length === 0) return rebuilt
    const last = ids.at(-1)!
    rebuilt += await repo.rebuildRange(after, last)
    after = last
  }
}

/**
 * The periodic reconciliation (the orders sweep): repairs, in a bounded batch, every view that is
 * missing or behind an aggregate that changed more than RECONCILE_LAG_MS ago — what a lost event
 * left behind. Counts the repairs as a data point (blob1 `read_model_repaired`, double1 the count)
 * and in a log line when there were any.
 */
export async function reconcileReadModel(
  repo: ViewRepairRepo,
  now: number,
  { metrics, log = createLogger('orders') }: { metrics?: RepairMetrics; log?: Logger } = {},
): Promise<number> {
  const repaired = await repo.repairLagging(new Date(now - RECONCILE_LAG_MS).toISOString(), RECONCILE_BATCH)
  if (repaired > 0) {
    log.info('read model rows repaired', { repaired })
    try {
      metrics?.writeDataPoint({
        indexes: ['read_model_repaired'],
        blobs: ['read_model_repaired', 'orders', 'order_views'],
        doubles: [repaired],
      })
    } catch {
      // A metric is never worth failing the sweep for.
    }
  }
  return repaired
}
