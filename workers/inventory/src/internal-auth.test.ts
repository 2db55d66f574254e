import { describe, expect, it } from 'vitest'
import { ADMIN, callInventory, gatewayCredential, newProductBody, ordersCredential, readProblem, testEnv } from '../../../test/support/inventory'

// Zero trust inside the system: inventory serves nothing over HTTP without a credential the
// gateway signed for it, whatever the route.
const ROUTES: [method: string, path: string, body?: unknown][] = [
  ['GET', '/health'],
  ['GET', '/ready'],
  ['GET', '/api/v1/products'],
  ['GET', '/api/v1/products/prd_x'],
  ['POST', '/api/v1/products', newProductBody()],
  ['PATCH', '/api/v1/products/prd_x', { name: 'Eve' }],
  ['GET', '/api/v1/inventory/prd_x'],
  ['PUT', '/api/v1/inventory/prd_x', { on_hand: 1 }],
  ['GET', '/no/such/route'],
]

async function expectDenied(response: Response) {
  const { status, contentType, body } = await readProblem(response)
  expect(status).toBe(401)
  expect(contentType).toBe('application/problem+json')
  expect(body).toMatchObject({ status: 401, code: 'unauthenticated' })
  expect(response.headers.get('WWW-Authenticate')).toBe('GatewayCredential')
}

describe('gateway credential', () => {
  it.each(ROUTES)('refuses %s %s without a credential', async (method, path, body) => {
    await expectDenied(await callInventory(path, { method, body, principal: ADMIN, credential: null }))
  })

  it('refuses the orders service credential over HTTP (it is for RPC), and garbage', async () => {
    await expectDenied(await callInventory('/api/v1/products', { credential: await ordersCredential() }))
    await expectDenied(await callInventory('/api/v1/products', { credential: 'a.b.c' }))
  })

  it('creates nothing when an admin write without a credential is refused', async () => {
    const body = newProductBody()
    await expectDenied(await callInventory('/api/v1/products', { method: 'POST', body, credential: null }))
    const row = await testEnv.DB.prepare('SELECT count(*) AS n FROM products WHERE sku = ?1').bind(body.sku).first<{ n: number }>()
    expect(row!.n).toBe(0)
  })

  it('serves /health and /ready to a valid credential', async () => {
    expect(await (await callInventory('/health', { credential: await gatewayCredential() })).json()).toEqual({ status: 'ok', service: 'inventory' })
    expect(await (await callInventory('/ready')).json()).toEqual({ status: 'ok', service: 'inventory' })
  })

  it('answers unknown paths 404 as problem+json, with the request id', async () => {
    const response = await callInventory('/api/v1/nothing')
    const { status, body } = await readProblem(response)
    expect(status).toBe(404)
    expect(body.code).toBe('not_found')
    expect(response.headers.get('X-Request-Id')).toBe(body.request_id)
  })
})
