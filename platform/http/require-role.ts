import type { MiddlewareHandler } from 'hono'
import type { Caller } from '../auth/internal-credential'
import { problem } from '../errors/problem'
import type { Role } from '../../shared-contracts/users'

/**
 * The gateway's policy already keeps these routes to their role; checking the role the
 * credential carries again here is defense in depth. Anonymous → 401, another role → 403.
 */
export function requireRole(role: Role): MiddlewareHandler<{ Variables: { caller: Caller; requestId: string } }> {
  return async function requireRole(c, next) {
    const principal = c.var.caller.principal
    if (!principal) return problem(c, { code: 'unauthenticated' }, { 'WWW-Authenticate': 'Bearer' })
    if (!principal.roles.includes(role)) return problem(c, { code: 'forbidden' })
    await next()
  }
}

/** Any signed-in principal; anonymous → 401. */
export function requirePrincipal(): MiddlewareHandler<{ Variables: { caller: Caller; requestId: string } }> {
  return async function requirePrincipal(c, next) {
    if (!c.var.caller.principal) return problem(c, { code: 'unauthenticated' }, { 'WWW-Authenticate': 'Bearer' })
    await next()
  }
}
