import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { Principal } from '../../../../platform/auth/principal'
import { ROUTES } from '../../../../shared-contracts/routes'
import type { GatewayEnv } from '../services'
import { authorize } from './authorize'

const CUSTOMER: Principal = { id: 'usr_ada', roles: ['customer'] }
const ADMIN: Principal = { id: 'usr_root', roles: ['customer', 'admin'] }

/** The gateway's route table behind `authorize`, for a caller; every route that passes answers its matched pattern. */
function gateway(principal: Principal | null) {
  const app = new Hono<GatewayEnv>()
  app.use(async (c, next) => {
    c.set('principal', principal)
    await next()
  })
  app.use(authorize(ROUTES))
  app.all('*', (c) => c.json({ route: c.var.route.path, service: c.var.route.service }))
  return app
}

/** A problem+json refusal with this status and code. */
async function expectRefusal(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  expect(response.headers.get('Content-Type')).toBe('application/problem+json')
  expect(await response.json()).toMatchObject({ status, code })
}

describe('authorize', () => {
  it('lets anyone through to a public route, and names the row it matched', async () => {
    const response = await gateway(null).request('/api/v1/products/prd_1')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ route: '/api/v1/products/:id', service: 'inventory' })
  })

  it('answers an anonymous caller on a signed-in route 401 with a Bearer challenge', async () => {
    const response = await gateway(null).request('/api/v1/users/me')
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="api"')
    await expectRefusal(response, 401, 'unauthenticated')
  })

  it('answers a customer on an admin route 403, and lets an admin through', async () => {
    await expectRefusal(await gateway(CUSTOMER).request('/api/v1/products', { method: 'POST' }), 403, 'forbidden')
    expect((await gateway(ADMIN).request('/api/v1/products', { method: 'POST' })).status).toBe(200)
  })

  it('answers a path in no row 404, whoever asks', async () => {
    await expectRefusal(await gateway(ADMIN).request('/api/v1/nothing'), 404, 'not_found')
  })

  it('answers a known path with a wrong method 405 with Allow, HEAD beside GET', async () => {
    const response = await gateway(CUSTOMER).request('/api/v1/products/prd_1', { method: 'PUT' })
    expect(response.headers.get('Allow')).toBe('GET, HEAD, PATCH')
    await expectRefusal(response, 405, 'method_not_allowed')
  })

  it('answers OPTIONS 404: no row allows it (CORS preflights are answered before)', async () => {
    await expectRefusal(await gateway(ADMIN).request('/api/v1/products', { method: 'OPTIONS' }), 404, 'not_found')
  })
})
