import { beforeAll, describe, expect, it } from 'vitest'
import { ROUTES } from '../../shared-contracts/routes'
import { bearer, call, expectProblem, signUp, type SignedUp } from './client'

// v1 and v2 side by side. A v1 route with a v2 successor says so on every answer;
// the facts come from the route table (shared-contracts/routes.ts), like the spec's `deprecated`.

let customer: SignedUp
beforeAll(async () => {
  customer = await signUp('Versioned')
})

describe('v1 and v2 side by side', () => {
  it('GET /api/v1/orders still answers, announcing its deprecation, sunset and successor', async () => {
    const response = await call('/api/v1/orders', { headers: bearer(customer.token) })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ items: [], next_cursor: null })
    // RFC 9745: a structured-field date, seconds since the epoch (2026-01-01T00:00:00Z).
    expect(response.headers.get('Deprecation')).toBe('@1767225600')
    // RFC 8594: an HTTP-date.
    expect(response.headers.get('Sunset')).toBe('Thu, 01 Jul 2027 00:00:00 GMT')
    expect(response.headers.get('Link')).toContain('</api/v2/orders>; rel="successor-version"')
    expect(response.headers.get('Link')).toContain('</docs>; rel="deprecation"')
  })

  it('lets a browser client on an allowed origin read the deprecation headers (CORS)', async () => {
    const response = await call('/api/v1/orders', { headers: { ...bearer(customer.token), Origin: 'http://localhost:3000' } })
    expect(response.status).toBe(200)
    const exposed = (response.headers.get('Access-Control-Expose-Headers') ?? '').split(',').map((name) => name.trim().toLowerCase())
    expect(exposed).toEqual(expect.arrayContaining(['deprecation', 'sunset', 'link']))
  })

  it('announces it on a failed v1 call too (a bad query), but never on the successor', async () => {
    const bad = await call('/api/v1/orders?limit=0', { headers: bearer(customer.token) })
    await expectProblem(bad, 400, 'validation_failed')
    expect(bad.headers.get('Deprecation')).toBe('@1767225600')
    const v2 = await call('/api/v2/orders', { headers: bearer(customer.token) })
    expect(v2.status).toBe(200)
    expect(await v2.json()).toEqual({ items: [], next_cursor: null })
    for (const name of ['Deprecation', 'Sunset', 'Link']) expect(v2.headers.get(name), name).toBeNull()
  })

  it('sends no deprecation headers on routes without a successor', async () => {
    const response = await call('/api/v1/users/me', { headers: bearer(customer.token) })
    expect(response.status).toBe(200)
    expect(response.headers.get('Deprecation')).toBeNull()
    expect(ROUTES.filter((route) => route.deprecation).map((route) => route.path)).toEqual(['/api/v1/orders'])
  })

  it('answers unknown versions with 404 problem+json, signed in or not', async () => {
    for (const path of ['/api/v3/orders', '/api/v0/orders', '/api/v2/products', '/api/v2/users/me', '/api/orders', '/api/V2/orders']) {
      await expectProblem(await call(path, { headers: bearer(customer.token) }), 404, 'not_found')
      await expectProblem(await call(path), 404, 'not_found')
    }
  })
})
