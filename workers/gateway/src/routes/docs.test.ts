import { describe, expect, it } from 'vitest'
import { call, expectProblem } from '../../../../test/cross/client'
import type { OpenApiDocument } from '../../../../shared-contracts/openapi-types'

describe('GET /openapi.json', () => {
  it('serves the OpenAPI 3.1 document, public and cacheable with an ETag', async () => {
    const response = await call('/openapi.json')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/)
    expect(response.headers.get('Cache-Control')).toMatch(/^public/)
    const etag = response.headers.get('ETag')
    expect(etag).toMatch(/^"[^"]+"$/)
    const document = (await response.json()) as OpenApiDocument
    expect(document.openapi).toBe('3.1.0')
    expect(document.paths['/api/v1/orders']?.get?.deprecated).toBe(true)
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/openapi.json', '/docs', '/api/v2/orders']))

    const again = await call('/openapi.json', { headers: { 'If-None-Match': etag! } })
    expect(again.status).toBe(304)
    expect(again.headers.get('ETag')).toBe(etag)
    expect(await again.text()).toBe('')
  })
})

describe('GET /docs', () => {
  it('serves the reference page under its own CSP: scripts and styles from this origin only', async () => {
    const response = await call('/docs')
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/)
    const csp = response.headers.get('Content-Security-Policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("style-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/)
    const html = await response.text()
    expect(html).toContain('<script src="/docs/swagger-ui-bundle.js"></script>')
    // No inline script: every <script> has a src.
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull()
  })

  it("serves swagger-ui's files itself, with an ETag", async () => {
    for (const [asset, type, marker] of [
      ['swagger-ui-bundle.js', 'text/javascript', 'SwaggerUIBundle'],
      ['swagger-ui.css', 'text/css', '.swagger-ui'],
      ['docs.js', 'text/javascript', "url: '/openapi.json'"],
    ] as const) {
      const response = await call(`/docs/${asset}`)
      expect(response.status, asset).toBe(200)
      expect(response.headers.get('Content-Type'), asset).toMatch(new RegExp(`^${type}`))
      expect(response.headers.get('ETag'), asset).toMatch(/^"/)
      expect(await response.text(), asset).toContain(marker)
    }
  })

  it('answers an unknown asset with 404, and keeps the strict CSP on the API', async () => {
    await expectProblem(await call('/docs/index.html'), 404, 'not_found')
    expect((await call('/health')).headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'")
  })
})
