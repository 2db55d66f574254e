import type { MiddlewareHandler } from 'hono'
import { cors as honoCors } from 'hono/cors'
import { editHeaders } from '../../../../platform/http/edit-headers'
import type { GatewayEnv } from '../services'

/** The response headers a browser's script may read. */
const EXPOSED_HEADERS = [
  'X-Request-Id',
  'Location',
  'Retry-After',
  'ETag',
  'RateLimit',
  'RateLimit-Policy',
  'Deprecation',
  'Sunset',
  'Link',
]
const EXPOSED = EXPOSED_HEADERS.join(',')

/** The origin echoed in `Access-Control-Allow-Origin`: only one on the allow-list, never any other. */
export const allowedOrigin = (origin: string | null | undefined, origins: readonly string[]): string | null =>
  origin && origins.includes(origin) ? origin : null

/** What every answer but a preflight carries whatever the origin: the exposed headers, and `Vary: Origin`. */
export function applyCorsHeaders(headers: Headers): void {
  headers.set('Access-Control-Expose-Headers', EXPOSED)
  headers.append('Vary', 'Origin')
}

function preflight(origins: readonly string[]): MiddlewareHandler {
  return honoCors({
    origin: (origin) => allowedOrigin(origin, origins),
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match', 'X-Request-Id'],
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  })
}

/**
 * CORS from the `CORS_ALLOWED_ORIGINS` allow-list (comma-separated, in the config); an unknown
 * origin is never echoed. A preflight (OPTIONS) is Hono's; every other answer gets its headers
 * once it is made, on the answer itself: nothing builds a response before the handler does, and
 * none is copied to add them.
 */
export function cors(): MiddlewareHandler<GatewayEnv> {
  let cached: { origins: readonly string[]; handler: MiddlewareHandler } | null = null
  return async function cors(c, next) {
    const origins = c.get('config').corsOrigins
    if (c.req.method === 'OPTIONS') {
      if (cached?.origins !== origins) cached = { origins, handler: preflight(origins) }
      return cached.handler(c, next)
    }
    await next()
    const origin = allowedOrigin(c.req.header('Origin'), origins)
    editHeaders(c, (headers) => {
      if (origin) headers.set('Access-Control-Allow-Origin', origin)
      applyCorsHeaders(headers)
    })
  }
}
