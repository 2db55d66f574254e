import type { MiddlewareHandler } from 'hono'

const HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

/** Hardening headers on every response; authenticated responses are never stored by caches. */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next()
    const headers = c.res.headers
    for (const [name, value] of Object.entries(HEADERS)) headers.set(name, value)
    headers.delete('X-Powered-By')
    headers.delete('Server')
    if (c.req.header('Authorization') !== undefined) headers.set('Cache-Control', 'no-store')
  }
}
