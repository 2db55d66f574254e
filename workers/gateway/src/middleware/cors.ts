import type { MiddlewareHandler } from 'hono'
import { cors as honoCors } from 'hono/cors'
import type { GatewayEnv } from '../services'

/** CORS from the `CORS_ALLOWED_ORIGINS` allow-list (comma-separated, in the config); an unknown origin is never echoed. */
export function cors(): MiddlewareHandler<GatewayEnv> {
  let cached: { origins: readonly string[]; handler: MiddlewareHandler } | null = null
  return async function cors(c, next) {
    const origins = c.var.config.corsOrigins
    if (cached?.origins !== origins) {
      const handler = honoCors({
        origin: (origin) => (origins.includes(origin) ? origin : null),
        allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-None-Match', 'X-Request-Id'],
        exposeHeaders: [
          'X-Request-Id',
          'Location',
          'Retry-After',
          'ETag',
          'RateLimit',
          'RateLimit-Policy',
          'Deprecation',
          'Sunset',
          'Link',
        ],
        maxAge: 600,
      })
      cached = { origins, handler }
    }
    return cached.handler(c, next)
  }
}
