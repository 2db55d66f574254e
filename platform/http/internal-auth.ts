import type { MiddlewareHandler } from 'hono'
import { createCredentialVerifier, CREDENTIAL_HEADER, type Caller } from '../auth/internal-credential'
import { problem } from '../errors/problem'
import { REQUEST_ID_HEADER } from './request-id'

/** The challenge an internal Worker answers a refused credential with: it tells the gateway "your key, not the user". */
export const CREDENTIAL_CHALLENGE = 'GatewayCredential'

export interface InternalAuthBindings {
  GATEWAY_PUBLIC_KEYS?: string
}

/**
 * Zero trust inside the system: an internal Worker serves only requests that carry a valid,
 * unexpired credential the gateway signed for this very service. Everything else is a 401.
 */
export function requireGatewayCredential(service: string): MiddlewareHandler<{
  Bindings: InternalAuthBindings
  Variables: { caller: Caller; requestId: string }
}> {
  let cached: { jwks: string | undefined; verify: ReturnType<typeof createCredentialVerifier> } | null = null
  return async function requireGatewayCredential(c, next) {
    const jwks = c.env.GATEWAY_PUBLIC_KEYS
    if (cached?.jwks !== jwks) cached = { jwks, verify: createCredentialVerifier(jwks, service) }
    const result = await cached!.verify(c.req.header(CREDENTIAL_HEADER))
    if (!result.ok) return problem(c, result.error, { 'WWW-Authenticate': CREDENTIAL_CHALLENGE })
    // The request id is the X-Request-Id the request-id middleware read; a credential may be
    // reused across requests (ADR 0002), so its `rid` only stands in when no id was sent.
    const requestId = c.req.header(REQUEST_ID_HEADER) === undefined ? result.value.requestId : c.var.requestId
    c.set('caller', { ...result.value, requestId })
    c.set('requestId', requestId)
    await next()
  }
}
