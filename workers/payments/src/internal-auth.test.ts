import { describe, expect, it } from 'vitest'
import { admin, callPayments, gatewayCredential, ordersCredential, readProblem } from '../../../test/support/payments'

// Zero trust inside the system: payments serves nothing over HTTP without a credential the
// gateway signed for it.
const PATHS = ['/health', '/ready', '/api/v1/payments?order_id=ord_1', '/no/such/route']

async function expectDenied(response: Response) {
  expect(response.headers.get('WWW-Authenticate')).toBe('GatewayCredential')
  const { status, contentType, body } = await readProblem(response)
  expect(status).toBe(401)
  expect(contentType).toBe('application/problem+json')
  expect(body).toMatchObject({ code: 'unauthenticated', request_id: expect.any(String) })
}

describe('gateway credential', () => {
  it.each(PATHS)('refuses %s without a credential', async (path) => {
    await expectDenied(await callPayments(path, { credential: null }))
  })

  it.each(PATHS)('refuses %s with a credential the gateway signed for another service', async (path) => {
    await expectDenied(await callPayments(path, { credential: await gatewayCredential('users') }))
  })

  it("refuses an RPC caller's credential over HTTP (orders is not the gateway)", async () => {
    await expectDenied(await callPayments('/api/v1/payments?order_id=ord_1', { credential: await ordersCredential(), principal: admin }))
  })

  it('serves /health and /ready to a valid credential', async () => {
    const health = await callPayments('/health')
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok', service: 'payments' })
    const ready = await callPayments('/ready')
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ status: 'ok', service: 'payments' })
  })

  it('answers an unknown route 404 with the request id of the credential', async () => {
    const response = await callPayments('/no/such/route')
    const { status, body } = await readProblem(response)
    expect(status).toBe(404)
    expect(body.code).toBe('not_found')
    expect(response.headers.get('X-Request-Id')).toBe(body.request_id)
  })
})
