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

/** The hardening headers of an answer to `path`; an authenticated answer is never stored by caches. */
export function applySecurityHeaders(headers: Headers, path: string, authenticated: boolean): void {
  for (const name in HEADERS) headers.set(name, HEADERS[name]!)
  if (isDocsPage(path)) headers.set('Content-Security-Policy', DOCS_CSP)
  headers.delete('X-Powered-By')
  headers.delete('Server')
  if (authenticated) headers.set('Cache-Control', 'no-store')
}

/** Hardening headers on every response; authenticated responses are never stored by caches. */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next()
    applySecurityHeaders(c.res.headers, c.req.path, c.req.header('Authorization') !== undefined)
  }
}
