import type { MiddlewareHandler } from 'hono'
import type { Caller } from '../../../../platform/auth/internal-credential'
import { problem } from '../../../../platform/errors/problem'
import type { Role } from '../../../../shared-contracts/users'

/** Anonymous → 401; signed in without the role → 403. */
export function requireRole(role: Role): MiddlewareHandler<{ Variables: { caller: Caller; requestId: string } }> {
  return async function requireRole(c, next) {
    const principal = c.var.caller.principal
    if (!principal) return problem(c, { code: 'unauthenticated' }, { 'WWW-Authenticate': 'Bearer' })
    if (!principal.roles.includes(role)) return problem(c, { code: 'forbidden' })
    await next()
  }
}
