import type { MiddlewareHandler } from 'hono'
import type { Principal } from '../../../../platform/auth/principal'
import { problem } from '../../../../platform/errors/problem'
import type { Result } from '../../../../shared-contracts/errors'
import { bearerToken } from '../auth/access-token'
import { KeysUnavailableError } from '../auth/jwks-cache'
import type { GatewayEnv } from '../services'

const CHALLENGE = 'Bearer realm="api", error="invalid_token"'

/**
 * Sets `c.var.principal` from a verified bearer token, or `null` when none is sent.
 * A token that is sent but does not verify is a 401, whatever the route: it is never
 * silently downgraded to anonymous. Tokens are read from the Authorization header only.
 * Successful verifications are reused for up to a minute (../auth/access-token.ts).
 */
export function authenticate(): MiddlewareHandler<GatewayEnv> {
  return async function authenticate(c, next) {
    const header = c.req.header('Authorization')
    if (header === undefined) {
      c.set('principal', null)
      return next()
    }
    const token = bearerToken(header)
    let principal: Result<Principal>
    try {
      principal = token.ok ? await c.get('services').verifyToken(token.value) : token
    } catch (error) {
      if (!(error instanceof KeysUnavailableError)) throw error
      return problem(c, { code: 'service_unavailable', detail: 'Tokens cannot be verified right now.' }, { 'Retry-After': '5' })
    }
    if (!principal.ok) return problem(c, principal.error, { 'WWW-Authenticate': CHALLENGE })
    c.set('principal', principal.value)
    await next()
  }
}
