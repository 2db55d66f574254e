import type { MiddlewareHandler } from 'hono'
import { createRouteMatcher, isAllowed, type Route } from '../../../../shared-contracts/routes'
import { problem } from '../../../../platform/errors/problem'
import type { GatewayEnv } from '../services'

/**
 * Deny by default: the request must match a row of the route table (else 404, or 405 with
 * `Allow` when only the method is wrong) and the principal must hold a role the row allows.
 */
export function authorize(routes: readonly Route[]): MiddlewareHandler<GatewayEnv> {
  const match = createRouteMatcher(routes)
  return async function authorize(c, next) {
    if (c.req.method === 'OPTIONS') return problem(c, { code: 'not_found' })
    const found = match(c.req.method, c.req.path)
    if (found.kind === 'not_found') return problem(c, { code: 'not_found' })
    if (found.kind === 'method_not_allowed') {
      const allow = [...new Set(found.allow.flatMap((method) => (method === 'GET' ? ['GET', 'HEAD'] : [method])))]
      return problem(c, { code: 'method_not_allowed' }, { Allow: allow.join(', ') })
    }
    const principal = c.get('principal')
    if (!isAllowed(found.route.access, principal?.roles ?? null)) {
      return principal === null
        ? problem(c, { code: 'unauthenticated' }, { 'WWW-Authenticate': 'Bearer realm="api"' })
        : problem(c, { code: 'forbidden' })
    }
    c.set('route', found.route)
    await next()
  }
}
