import type { MiddlewareHandler } from 'hono'
import { createLogger } from '../../../../platform/telemetry/log'
import { redMetrics } from '../../../../platform/telemetry/metrics'
import { createRouteMatcher, type Route } from '../../../../shared-contracts/routes'
import type { GatewayEnv } from '../services'

const log = createLogger('gateway')

/**
 * Measures every request once it has been answered: one `request` log line (method, route
 * pattern, status, duration_ms) and one RED data point (platform/telemetry/metrics). Only the
 * route pattern is recorded, never the path or its query string: ids stay out of the metric's
 * cardinality and tokens out of the logs. Sets `c.var.metrics`, which `forward` records its
 * downstream calls with; the no-op recorder when the METRICS dataset is not bound.
 */
export function observe(routes: readonly Route[]): MiddlewareHandler<GatewayEnv> {
  const match = createRouteMatcher(routes)
  return async function observe(c, next) {
    const started = Date.now()
    const metrics = redMetrics(c.env.METRICS, 'gateway')
    c.set('metrics', metrics)
    await next()
    const durationMs = Date.now() - started
    // Requests refused before authorization (a bad token, say) have no c.var.route yet.
    let route: Route | undefined = c.var.route
    if (!route) {
      const found = match(c.req.method, c.req.path)
      route = found.kind === 'found' ? found.route : undefined
    }
    const status = c.res.status
    const pattern = route?.path ?? 'unmatched'
    metrics.request({ route: pattern, method: c.req.method, status, durationMs, target: route?.service ?? 'gateway' })
    const fields = { method: c.req.method, route: pattern, status, duration_ms: durationMs }
    if (status >= 500) log.warn('request', fields)
    else log.info('request', fields)
  }
}
