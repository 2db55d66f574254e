import { Hono } from 'hono'
import type { Health } from '../../../../shared-contracts/api-schemas'
import { SERVICES, type ServiceName } from '../../../../shared-contracts/routes'
import type { GatewayEnv } from '../services'

const PROBE_TIMEOUT_MS = 2_000

type ServiceHealth = Health['services'][ServiceName]

export const healthRoutes = new Hono<GatewayEnv>()

/** Every service's readiness (its D1 answers), probed concurrently; one down → 503 degraded. */
healthRoutes.get('/health', async (c) => {
  const { services, requestId } = c.var
  async function probe(service: ServiceName): Promise<ServiceHealth> {
    try {
      const response = await services.call(service, '/ready', { caller: { principal: null, requestId }, timeoutMs: PROBE_TIMEOUT_MS })
      await response.body?.cancel()
      return response.ok ? 'ok' : 'down'
    } catch {
      return 'down'
    }
  }
  const states = await Promise.all(SERVICES.map(async (service) => [service, await probe(service)] as const))
  const healthy = states.every(([, state]) => state === 'ok')
  const health: Health = { status: healthy ? 'ok' : 'degraded', services: Object.fromEntries(states) as Health['services'] }
  return c.json(health, healthy ? 200 : 503)
})
