import { Hono } from 'hono'
import { problem } from '../../../../platform/errors/problem'
import { readJson } from '../../../../platform/http/json-body'
import type { FaultState } from '../../../../shared-contracts/api-schemas'
import { FaultConfigSchema, type FaultConfig } from '../../../../shared-contracts/faults'
import { SERVICES, type ServiceName } from '../../../../shared-contracts/routes'
import type { GatewayEnv } from '../env'

/**
 * `PUT /api/v1/admin/faults/{service}`: sets the fault a service injects into its own calls.
 * Exists only where FAULT_INJECTION is `enabled` (local development); 404 everywhere else.
 */
export const faultRoutes = new Hono<GatewayEnv>()

faultRoutes.put('/api/v1/admin/faults/:service', async (c) => {
  const service = c.req.param('service')
  if (c.env.FAULT_INJECTION !== 'enabled' || !(SERVICES as readonly string[]).includes(service)) return problem(c, { code: 'not_found' })
  const config = await readJson(c, FaultConfigSchema)
  if (!config.ok) return problem(c, config.error)
  const response = await c.var.services.call(service as ServiceName, '/internal/faults', {
    method: 'PUT',
    body: config.value,
    caller: { principal: c.var.principal, requestId: c.var.requestId },
  })
  if (!response.ok) return new Response(response.body, response)
  const state: FaultState = { service: service as ServiceName, ...((await response.json()) as FaultConfig) }
  return c.json(state)
})
