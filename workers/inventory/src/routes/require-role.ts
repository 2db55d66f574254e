import type { MiddlewareHandler } from 'hono'
import type { Role } from '../../../../shared-contracts/users'
import { problem } from '../../../../platform/errors/problem'
import type { InventoryEnv } from '../env'

/**
 * The gateway's policy already keeps these routes to their role; checking the role the
 * credential carries again here is defense in depth. Anonymous → 401, another role → 403.
 */
export function requireRole(role: Role): MiddlewareHandler<InventoryEnv> {
  return async function requireRole(c, next) {
    const principal = c.var.caller.principal
    if (!principal) return problem(c, { code: 'unauthenticated' }, { 'WWW-Authenticate': 'Bearer' })
    if (!principal.roles.includes(role)) return problem(c, { code: 'forbidden', detail: `This needs the ${role} role.` })
    await next()
  }
}
