import { Hono } from 'hono'
import type { CircuitBreakerView } from '../../../../shared-contracts/api-schemas'
import { SERVICES } from '../../../../shared-contracts/routes'
import type { GatewayEnv } from '../env'
import { resilience } from '../resilience/layer'

/**
 * `GET /api/v1/admin/circuit-breakers`: every downstream's breaker as its Durable Object holds
 * it (the source of truth, not this isolate's copy).
 */
export const circuitBreakerRoutes = new Hono<GatewayEnv>()

circuitBreakerRoutes.get('/api/v1/admin/circuit-breakers', async (c) => {
  const { breakers } = resilience(c.env)
  const items = await Promise.all(
    SERVICES.map(async (service): Promise<CircuitBreakerView> => {
      const snapshot = await breakers.snapshot(service)
      return {
        service,
        state: snapshot.state,
        failure_rate: Math.round(snapshot.failureRate * 1_000) / 1_000,
        retry_after_s: Math.ceil(snapshot.retryAfterMs / 1_000),
      }
    }),
  )
  return c.json({ items, next_cursor: null })
})
