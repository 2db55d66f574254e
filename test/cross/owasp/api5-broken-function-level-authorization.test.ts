import { beforeAll, describe, expect, it } from 'vitest'
import { ROUTES, type HttpMethod } from '../../../shared-contracts/routes'
import { adminToken, bearer, call, expectProblem, expectUnauthenticated, send, signUp, type SignedUp } from '../client'
import { settledDigest, stateDigest } from '../state'

// OWASP API5:2023 Broken Function Level Authorization. Every admin function in the route table
// is refused to customers (403) and to anonymous callers (401) before it reaches a service;
// methods are what the table says, and no header can swap one for another.
let customer: SignedUp
let admin: string

beforeAll(async () => {
  ;[customer, admin] = await Promise.all([signUp('Customer'), adminToken()])
  // The sign-up's events reach other services through queues (batches of up to 1 s): let them land.
  await settledDigest(1_500)
})

const concrete = (path: string) => path.replace(/:(\w+)/g, 'x_$1')
const ADMIN_ROUTES = ROUTES.filter((route) => 'roles' in route.access && !route.access.roles.includes('customer'))
const ALL_METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

describe('admin functions', () => {
  it('are the admin routes of the contract, and there are some', () => {
    expect(ADMIN_ROUTES.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([
        'POST /api/v1/products',
        'PATCH /api/v1/products/:id',
        'PUT /api/v1/inventory/:product_id',
        'GET /api/v1/admin/sagas',
        'PUT /api/v1/admin/faults/:service',
      ]),
    )
  })

  it.each(ADMIN_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: 403 for a customer, 401 for anonymous, nothing changed',
    async (_, route) => {
      const before = await stateDigest()
      const body =
        route.method === 'GET' ? undefined : { name: 'x', sku: 'x', price_cents: 1, currency: 'EUR', on_hand: 1, mode: 'error', rate: 1 }
      await expectProblem(await send(route.method, concrete(route.path), body, bearer(customer.token)), 403, 'forbidden')
      await expectUnauthenticated(await send(route.method, concrete(route.path), body))
      // HEAD is GET without a body: the same refusal.
      if (route.method === 'GET') {
        expect((await call(concrete(route.path), { method: 'HEAD', headers: bearer(customer.token) })).status).toBe(403)
      }
      expect(await stateDigest()).toBe(before)
    },
  )

  it('still work for an admin (the refusals above are about the role)', async () => {
    expect((await call('/api/v1/admin/sagas', { headers: bearer(admin) })).status).toBe(200)
    expect((await call('/api/v1/admin/circuit-breakers', { headers: bearer(admin) })).status).toBe(200)
  })
})

describe('methods', () => {
  const PATHS = [...new Set(ROUTES.map((route) => route.path))]

  it.each(PATHS)('%s answers only its methods; any other is 405 with Allow', async (path) => {
    const allowed = ROUTES.filter((route) => route.path === path).map((route) => route.method)
    for (const method of ALL_METHODS.filter((candidate) => !allowed.includes(candidate))) {
      const response = await send(method, concrete(path), method === 'GET' || method === 'DELETE' ? undefined : {}, bearer(admin))
      await expectProblem(response, 405, 'method_not_allowed')
      const allow = response.headers.get('Allow')!.split(/,\s*/)
      for (const method of allowed) expect(allow).toContain(method)
    }
  })

  it.each(['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override'])('ignores %s', async (header) => {
    // A POST dressed as a PATCH is still a POST: 405, and the name is unchanged.
    const swapped = await send('POST', '/api/v1/users/me', { name: 'Swapped' }, { ...bearer(customer.token), [header]: 'PATCH' })
    await expectProblem(swapped, 405, 'method_not_allowed')
    // A GET dressed as an admin's PUT is still a customer's GET.
    const read = await call('/api/v1/users/me', { headers: { ...bearer(customer.token), [header]: 'DELETE' } })
    expect(read.status).toBe(200)
    expect(await read.json()).toMatchObject({ id: customer.user.id, name: 'Customer' })
    const admin = await send('POST', '/api/v1/products', { sku: 'x' }, { ...bearer(customer.token), [header]: 'GET' })
    await expectProblem(admin, 403, 'forbidden')
  })

  it('answers HEAD like GET, without a body, and with the same authorization', async () => {
    const head = await call('/api/v1/users/me', { method: 'HEAD', headers: bearer(customer.token) })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    expect((await call('/api/v1/users/me', { method: 'HEAD' })).status).toBe(401)
  })

  it('answers OPTIONS with a CORS preflight that grants nothing by itself', async () => {
    const response = await call('/api/v1/admin/sagas', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
    })
    expect(response.status).toBeLessThan(300)
    expect(response.headers.has('Access-Control-Allow-Origin')).toBe(false)
    expect(await response.text()).toBe('')
  })
})
