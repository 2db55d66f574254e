import { Hono } from 'hono'
import type { BreakerSnapshot } from '../../../../durable-objects/circuit-breaker/client'
import type { CircuitBreakerView } from '../../../../shared-contracts/api-schemas'
import { SERVICES } from '../../../../shared-contracts/routes'
import type { GatewayEnv } from '../services'
import { breakerName, resilience } from '../resilience/layer'
import { BREAKER_SEVERITY } from '../../../../durable-objects/circuit-breaker/severity'

const view = (snapshot: BreakerSnapshot) => ({
  state: snapshot.state,
  failure_rate: Math.round(snapshot.failureRate * 1_000) / 1_000,
  retry_after_s: Math.ceil(snapshot.retryAfterMs / 1_000),
})

/**
 * `GET /api/v1/admin/circuit-breakers`: every downstream's read and write breakers as their
 * Durable Objects hold them (the source of truth, not this isolate's copies).
 */
export const circuitBreakerRoutes = new Hono<GatewayEnv>()

circuitBreakerRoutes.get('/api/v1/admin/circuit-breakers', async (c) => {
  const { breakers } = resilience(c.env, c.var.config.resilience)
  const items = await Promise.all(
    SERVICES.map(async (service): Promise<CircuitBreakerView> => {
      const [read, write] = await Promise.all([
        breakers.snapshot(breakerName(service, 'read')).then(view),
        breakers.snapshot(breakerName(service, 'write')).then(view),
      ])
      const worse = BREAKER_SEVERITY[write.state] > BREAKER_SEVERITY[read.state] ? write : read
      return { service, ...worse, classes: { read, write } }
    }),
  )
  return c.json({ items, next_cursor: null })
})
