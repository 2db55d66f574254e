import { Hono } from 'hono'
import { CREDENTIAL_HEADER } from '../../../../platform/auth/internal-credential'
import { REQUEST_ID_HEADER } from '../../../../platform/http/request-id'
import { SERVICES, type ServiceName } from '../../../../shared-contracts/routes'
import type { GatewayEnv } from '../env'

const PROBE_TIMEOUT_MS = 2_000

type ServiceHealth = 'ok' | 'down'

export const healthRoutes = new Hono<GatewayEnv>()

/** Every service's readiness (its D1 answers), probed concurrently; one down → 503 degraded. */
healthRoutes.get('/health', async (c) => {
  const { services, requestId } = c.var
  async function probe(service: ServiceName): Promise<ServiceHealth> {
    try {
      const credential = await services.credential(service, { principal: null, requestId })
      const response = await services.binding(service).fetch(`https://${service}.internal/ready`, {
        headers: { [CREDENTIAL_HEADER]: credential, [REQUEST_ID_HEADER]: requestId },
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      })
      await response.body?.cancel()
      return response.ok ? 'ok' : 'down'
    } catch {
      return 'down'
    }
  }
  const states = await Promise.all(SERVICES.map(async (service) => [service, await probe(service)] as const))
  const healthy = states.every(([, state]) => state === 'ok')
  return c.json({ status: healthy ? 'ok' : 'degraded', services: Object.fromEntries(states) }, healthy ? 200 : 503)
})
