import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { securityHeaders } from './security-headers'

const app = new Hono()
  .use(securityHeaders())
  .get('/docs', (c) => c.html('<html></html>'))
  .get('/api/v1/users/me', (c) =>
    c.json({ id: 'usr_ada' }, 200, { 'X-Powered-By': 'hono', Server: 'workerd', 'Cache-Control': 'max-age=60' }),
  )

const HARDENING = {
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
}

describe('securityHeaders', () => {
  it('sets the hardening headers on every answer, a 404 too, and drops what names the software', async () => {
    for (const path of ['/api/v1/users/me', '/nothing']) {
      const response = await app.request(path)
      expect(Object.fromEntries([...response.headers].filter(([name]) => name in HARDENING))).toEqual(HARDENING)
      expect(response.headers.get('X-Powered-By')).toBeNull()
      expect(response.headers.get('Server')).toBeNull()
    }
  })

  it('marks an authenticated answer no-store, and leaves an anonymous one as the route made it', async () => {
    expect((await app.request('/api/v1/users/me', { headers: { Authorization: 'Bearer a.b.c' } })).headers.get('Cache-Control')).toBe(
      'no-store',
    )
    expect((await app.request('/api/v1/users/me')).headers.get('Cache-Control')).toBe('max-age=60')
  })

  it("lets the API reference page load swagger-ui's scripts and styles from this origin only", async () => {
    const csp = (await app.request('/docs')).headers.get('Content-Security-Policy')
    expect(csp).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )
  })
})
