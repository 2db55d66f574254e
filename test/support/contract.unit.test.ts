import { describe, expect, it } from 'vitest'
import { EXAMPLES } from '../../shared-contracts/api-examples'
import { createContract } from './contract'

// The contract checker the e2e client runs on every answer: it must catch what the spec does not describe.

const contract = createContract()
const headers = (entries: Record<string, string>) => new Headers({ 'X-Request-Id': 'r-1', ...entries })
const json = { 'Content-Type': 'application/json' }
const problemOf = (status: number, code: string) => ({ type: `/problems/${code}`, title: 'x', status, code, request_id: 'r-1' })
const problemHeaders = (extra: Record<string, string> = {}) => headers({ 'Content-Type': 'application/problem+json', ...extra })

describe('the contract checker', () => {
  it('accepts documented answers', () => {
    expect(contract.violations('GET', '/api/v1/products/p1', { status: 200, headers: headers(json), body: EXAMPLES.product })).toEqual([])
    expect(
      contract.violations('GET', '/api/v1/products?limit=5', {
        status: 200,
        headers: headers(json),
        body: { items: [], next_cursor: null },
      }),
    ).toEqual([])
    expect(
      contract.violations('POST', '/api/v1/auth/register', { status: 409, headers: problemHeaders(), body: problemOf(409, 'email_taken') }),
    ).toEqual([])
  })

  it('refuses a status the operation does not document', () => {
    // A public product read never answers 403; a placed order is 202, not 201.
    expect(
      contract.violations('GET', '/api/v1/products/p1', { status: 403, headers: problemHeaders(), body: problemOf(403, 'forbidden') }),
    ).toEqual(['GET /api/v1/products/{id}: status 403 is not documented'])
    expect(
      contract.violations('POST', '/api/v1/orders', {
        status: 201,
        headers: headers({ ...json, Location: '/api/v1/orders/o1' }),
        body: EXAMPLES.order,
      }),
    ).toEqual(['POST /api/v1/orders: status 201 is not documented'])
  })

  it('refuses a body that breaks the schema: a missing field, an extra field, a code the route cannot answer', () => {
    const { available: _, ...missing } = EXAMPLES.product
    expect(contract.violations('GET', '/api/v1/products/p1', { status: 200, headers: headers(json), body: missing })).toHaveLength(1)
    expect(
      contract.violations('GET', '/api/v1/users/me', {
        status: 200,
        headers: headers(json),
        body: { ...EXAMPLES.user, password_hash: 'x' },
      }),
    ).toHaveLength(1)
    expect(
      contract.violations('POST', '/api/v1/auth/register', { status: 409, headers: problemHeaders(), body: problemOf(409, 'sku_taken') }),
    ).toHaveLength(1)
  })

  it('refuses a missing required header or a wrong content type', () => {
    const created = { status: 201, headers: headers(json), body: EXAMPLES.user }
    expect(contract.violations('POST', '/api/v1/auth/register', created)).toEqual([
      'POST /api/v1/auth/register 201: header Location is required',
    ])
    const noChallenge = { status: 401, headers: problemHeaders(), body: problemOf(401, 'unauthenticated') }
    expect(contract.violations('GET', '/api/v1/users/me', noChallenge)).toEqual([
      'GET /api/v1/users/me 401: header WWW-Authenticate is required',
    ])
    const asJson = { status: 404, headers: headers(json), body: problemOf(404, 'not_found') }
    expect(contract.violations('GET', '/api/v1/products/p1', asJson)[0]).toContain(
      'content type application/json is not one of application/problem+json',
    )
    const noId = { status: 200, headers: new Headers(json), body: EXAMPLES.product }
    expect(contract.violations('GET', '/api/v1/products/p1', noId)).toEqual([
      'GET /api/v1/products/{id} 200: header X-Request-Id is required',
    ])
  })

  it('wants the deprecation headers on a deprecated operation', () => {
    const page = { status: 200, headers: headers(json), body: { items: [], next_cursor: null } }
    expect(contract.violations('GET', '/api/v1/orders', page)).toHaveLength(3)
    const announced = headers({
      ...json,
      Deprecation: '@1767225600',
      Sunset: 'Thu, 01 Jul 2027 00:00:00 GMT',
      Link: '</api/v2/orders>; rel="successor-version"',
    })
    expect(contract.violations('GET', '/api/v1/orders', { ...page, headers: announced })).toEqual([])
  })

  it('holds paths and methods outside the spec to 404 and 405 problems', () => {
    expect(
      contract.violations('GET', '/api/v3/orders', { status: 404, headers: problemHeaders(), body: problemOf(404, 'not_found') }),
    ).toEqual([])
    expect(contract.violations('GET', '/api/v3/orders', { status: 200, headers: headers(json), body: {} })).toHaveLength(1)
    const notAllowed = {
      status: 405,
      headers: problemHeaders({ Allow: 'GET, HEAD, PATCH, DELETE' }),
      body: problemOf(405, 'method_not_allowed'),
    }
    expect(contract.violations('PUT', '/api/v1/users/me', notAllowed)).toEqual([])
    expect(contract.violations('PUT', '/api/v1/users/me', { ...notAllowed, headers: problemHeaders() })).toHaveLength(1)
  })
})
