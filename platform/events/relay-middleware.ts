import type { MiddlewareHandler } from 'hono'
import { createLogger } from '../telemetry/log'
import { relayOutbox } from './outbox'

/**
 * After a successful write (any 2xx to a non-GET request), relays the outbox once the response
 * has gone (`waitUntil`): events leave at once in the common case, and the scheduled sweep
 * (`drainOutbox`) sends whatever this could not.
 */
export function relayAfterResponse<E extends { Bindings: object }>(
  service: string,
  db: (env: E['Bindings']) => D1Database,
): MiddlewareHandler<E> {
  const log = createLogger(service)
  return async function relayAfterResponse(c, next) {
    await next()
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.res.status >= 300) return
    c.executionCtx.waitUntil(
      relayOutbox(db(c.env), c.env).catch((error: unknown) => {
        log.error('outbox relay failed', { error })
      }),
    )
  }
}
