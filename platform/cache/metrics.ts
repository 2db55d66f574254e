import type { CacheLevel } from './envelope'

/**
 * One Analytics Engine data point per cached read: which level answered (docs/adr/0017).
 * index1 = the cache namespace; blob1 `cache`, blob2 the Worker, blob3 the namespace, blob4 the
 * level (`l1` | `l2` | `source` | `bypass`); double1 = 1 (a count: SUM(_sample_interval * double1)).
 * Hit ratios per level come from these points at query time, like the RED metrics (ADR 0015).
 */
export function cacheLevelRecorder(
  dataset: AnalyticsEngineDataset | undefined,
  worker: string,
  namespace: string,
): (level: CacheLevel) => void {
  if (!dataset) return () => {}
  return (level) => {
    try {
      dataset.writeDataPoint({ indexes: [namespace], blobs: ['cache', worker, namespace, level], doubles: [1] })
    } catch {
      // Metrics are never worth failing a read for.
    }
  }
}
