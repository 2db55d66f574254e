import type { MiddlewareHandler } from 'hono'
import { withRequestContext } from '../telemetry/request-context'

export const REQUEST_ID_HEADER = 'X-Request-Id'
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/

/** Keeps a well-formed incoming request id (so a client can correlate), otherwise makes one. */
export function acceptRequestId(incoming: string | undefined | null): string {
  return incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID()
}

/**
 * Sets `c.var.requestId`, puts it in scope for the logger (platform/telemetry/request-context)
 * for everything the request runs, and echoes it on every response, errors included.
 */
export function requestId(): MiddlewareHandler {
  return async function requestId(c, next) {
    const id = acceptRequestId(c.req.header(REQUEST_ID_HEADER))
    c.set('requestId', id)
    await withRequestContext({ requestId: id }, next)
    c.res.headers.set(REQUEST_ID_HEADER, id)
  }
}
