import type { MiddlewareHandler } from 'hono'
import { createLogger } from '../../../../platform/telemetry/log'
import { redMetrics, type RedMetrics } from '../../../../platform/telemetry/metrics'
import { shouldLogRequest, type RequestLogOptions } from '../../../../platform/telemetry/request-log-policy'
import { createRouteMatcher, type Route } from '../../../../shared-contracts/routes'
import type { GatewayEnv } from '../services'

const log = createLogger('gateway')

/** One request once it was answered: its route (undefined when none matched), what it was answered, and how fast. */
export interface Answered {
  route: Route | undefined
  method: string
  status: number
  durationMs: number
  requestId: string
}

/**
 * Records one answered request: its RED data point always, its `request` log line when the log
 * policy keeps it. Only the route pattern is recorded, never the path or its query string.
 * `observe` calls it for every request the app answers, the cache's hit path for every hit.
 */
export function recordAnswer(
  metrics: RedMetrics,
  options: RequestLogOptions,
  { route, method, status, durationMs, requestId }: Answered,
): void {
  const pattern = route?.path ?? 'unmatched'
  metrics.request({ route: pattern, method, status, durationMs, target: route?.service ?? 'gateway' })
  if (!shouldLogRequest(options, { status, durationMs, requestId })) return
  const fields = { method, route: pattern, status, duration_ms: durationMs }
  if (status >= 500) log.warn('request', fields)
  else log.info('request', fields)
}

/**
 * Measures every request once it has been answered: one RED data point for every request
 * (platform/telemetry/metrics), and one `request` log line (method, route pattern, status,
 * duration_ms) for the requests the log policy keeps (platform/telemetry/request-log-policy:
 * every error but 429, every slow request, a sample of the rest by request id). Only the
 * route pattern is recorded, never the path or its query string: ids stay out of the metric's
 * cardinality and tokens out of the logs. Sets `c.var.metrics`, which `forward` records its
 * downstream calls with; the no-op recorder when the METRICS dataset is not bound.
 */
export function observe(routes: readonly Route[]): MiddlewareHandler<GatewayEnv> {
  const match = createRouteMatcher(routes)
  return async function observe(c, next) {
    const options = c.get('config').requestLog
    const started = Date.now()
    const metrics = redMetrics(c.env.METRICS, 'gateway')
    c.set('metrics', metrics)
    await next()
    const durationMs = Date.now() - started
    // Requests refused before authorization (a bad token, say) have no c.var.route yet.
    let route: Route | undefined = c.get('route')
    if (!route) {
      const found = match(c.req.method, c.req.path)
      route = found.kind === 'found' ? found.route : undefined
    }
    recordAnswer(metrics, options, { route, method: c.req.method, status: c.res.status, durationMs, requestId: c.get('requestId') ?? '' })
  }
}
