/**
 * RED metrics (rate, errors, duration) as Workers Analytics Engine data points: one per request
 * served and one per call to a downstream service (docs/adr: RED metrics). Analytics Engine
 * aggregates them at query time with SQL, so counts, error rates and duration histograms or
 * quantiles come from the same points, for any window, with no in-isolate state to flush.
 */

/** One request the Worker answered. */
export interface RequestMeasurement {
  /** The route pattern (`/api/v1/orders/:id`), never the path: ids and query strings stay out. */
  route: string
  method: string
  status: number
  durationMs: number
  /** The service the route belongs to (`gateway` for the gateway's own routes). */
  target: string
}

/** One call to a downstream service (retries included): its status, or why there was none. */
export interface DownstreamMeasurement {
  service: string
  route: string
  method: string
  outcome: number | 'timeout' | 'unavailable'
  durationMs: number
}

export interface RedMetrics {
  request(measurement: RequestMeasurement): void
  downstream(measurement: DownstreamMeasurement): void
}

/** No dataset bound (tests, or an account without Analytics Engine): measurements go nowhere. */
export const noopMetrics: RedMetrics = { request() {}, downstream() {} }

/** A server error or no answer at all; a 4xx is the client's and counts as a success. */
export const isError = (outcome: number | string) => typeof outcome !== 'number' || outcome >= 500

function statusClass(outcome: number | string): string {
  return typeof outcome === 'number' ? `${Math.floor(outcome / 100)}xx` : outcome
}

/**
 * The data point layout, positional as Analytics Engine stores it (kept in step with the ADR's
 * queries): index1 = the route pattern (requests) or the service (downstream calls);
 * blob1 kind (`request` | `downstream`), blob2 the reporting Worker, blob3 route pattern,
 * blob4 method, blob5 status or outcome, blob6 status class, blob7 service;
 * double1 duration in ms, double2 1 if an error else 0, double3 the HTTP status (0 if none).
 */
export function analyticsEngineMetrics(dataset: AnalyticsEngineDataset, worker: string): RedMetrics {
  function write(
    kind: 'request' | 'downstream',
    index: string,
    route: string,
    method: string,
    outcome: number | string,
    service: string,
    durationMs: number,
  ) {
    try {
      dataset.writeDataPoint({
        indexes: [index.slice(0, 96)],
        blobs: [kind, worker, route, method, String(outcome), statusClass(outcome), service],
        doubles: [Math.max(0, durationMs), isError(outcome) ? 1 : 0, typeof outcome === 'number' ? outcome : 0],
      })
    } catch {
      // Metrics are never worth failing a request for.
    }
  }
  return {
    request: ({ route, method, status, durationMs, target }) => write('request', route, route, method, status, target, durationMs),
    downstream: ({ service, route, method, outcome, durationMs }) =>
      write('downstream', service, route, method, outcome, service, durationMs),
  }
}

/** One recorder per dataset and Worker, made on its first request and reused by every later one. */
const recorders = new WeakMap<AnalyticsEngineDataset, Map<string, RedMetrics>>()

/** The Analytics Engine recorder when the dataset is bound, the no-op otherwise. */
export function redMetrics(dataset: AnalyticsEngineDataset | undefined, worker: string): RedMetrics {
  if (!dataset) return noopMetrics
  let byWorker = recorders.get(dataset)
  if (!byWorker) {
    byWorker = new Map()
    recorders.set(dataset, byWorker)
  }
  let recorder = byWorker.get(worker)
  if (!recorder) {
    recorder = analyticsEngineMetrics(dataset, worker)
    byWorker.set(worker, recorder)
  }
  return recorder
}
