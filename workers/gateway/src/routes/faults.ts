import { Hono } from 'hono'
import { problem } from '../../../../platform/errors/problem'
import type { MiddlewareHandler } from 'hono'
import { validated } from '../../../../platform/http/validated'
import { setFault } from '../../../../shared-contracts/api/admin'
import type { FaultState } from '../../../../shared-contracts/api-schemas'
import type { FaultConfig } from '../../../../shared-contracts/faults'
import type { GatewayEnv } from '../services'

/**
 * `PUT /api/v1/admin/faults/{service}`: sets the fault a service injects into its own calls.
 * Exists only where FAULT_INJECTION is `enabled` (local development); 404 everywhere else.
 */
export const faultRoutes = new Hono<GatewayEnv>()

/** Where fault injection is off the route does not exist: 404 before its request is read. */
const faultInjectionEnabled: MiddlewareHandler<GatewayEnv> = async function faultInjectionEnabled(c, next) {
  if (c.env.FAULT_INJECTION !== 'enabled') return problem(c, { code: 'not_found' })
  await next()
}

faultRoutes.put(setFault.path, faultInjectionEnabled, validated(setFault), async (c) => {
  const { service } = c.req.valid('param')
  const response = await c.var.services.call(service, '/internal/faults', {
    method: 'PUT',
    body: c.req.valid('json'),
    caller: { principal: c.var.principal, requestId: c.var.requestId },
  })
  if (!response.ok) return new Response(response.body, response)
  const state: FaultState = { service, ...((await response.json()) as FaultConfig) }
  return c.json(state)
})
