import type { MiddlewareHandler } from 'hono'

const HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

/**
 * The API reference page (routes/docs.ts) runs swagger-ui: scripts, styles, images and the
 * OpenAPI document from this origin only, no inline script, never framed.
 */
const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
const isDocsPage = (path: string) => path === '/docs' || path.startsWith('/docs/')

/** Hardening headers on every response; authenticated responses are never stored by caches. */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next()
    const headers = c.res.headers
    for (const [name, value] of Object.entries(HEADERS)) headers.set(name, value)
    if (isDocsPage(c.req.path)) headers.set('Content-Security-Policy', DOCS_CSP)
    headers.delete('X-Powered-By')
    headers.delete('Server')
    if (c.req.header('Authorization') !== undefined) headers.set('Cache-Control', 'no-store')
  }
}
