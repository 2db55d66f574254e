import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createCredentialSigner, CREDENTIAL_HEADER } from '../../../platform/auth/internal-credential'
import { callOrders, customer, readProblem, testEnv } from '../../../test/support/orders'

// Zero trust inside the system: orders serves nothing without a credential the gateway signed for it.
const ROUTES: [method: string, path: string][] = [
  ['GET', '/health'],
  ['POST', '/api/v1/orders'],
  ['GET', '/api/v1/orders'],
  ['GET', '/api/v2/orders'],
  ['GET', '/api/v1/orders/ord_1'],
  ['GET', '/api/v1/orders/ord_1/saga'],
  ['GET', '/api/v1/admin/sagas'],
  ['GET', '/internal/dead-letters'],
]
const fetcher = (exports as unknown as { default: { fetch(request: Request): Promise<Response> } }).default

describe('gateway credential', () => {
  it.each(ROUTES)('refuses %s %s without a credential', async (method, path) => {
    const response = await fetcher.fetch(new Request(`https://orders.internal${path}`, { method }))
    expect(await readProblem(response)).toMatchObject({ status: 401, contentType: 'application/problem+json', body: { code: 'unauthenticated' } })
  })

  it('refuses a credential signed for another service', async () => {
    const sign = createCredentialSigner((env as unknown as { TEST_GATEWAY_PRIVATE_KEY: string }).TEST_GATEWAY_PRIVATE_KEY)
    const credential = await sign('users', { principal: customer(), requestId: 'r' })
    const response = await fetcher.fetch(new Request('https://orders.internal/api/v1/orders', { headers: { [CREDENTIAL_HEADER]: credential } }))
    expect(response.status).toBe(401)
  })

  it('answers health with a credential', async () => {
    expect((await callOrders('/health')).status).toBe(200)
    expect(testEnv.SERVICE_NAME).toBe('orders')
  })

  it('unknown paths: 404 problem', async () => {
    expect(await readProblem(await callOrders('/api/v1/nothing', { principal: customer() }))).toMatchObject({ status: 404, body: { code: 'not_found' } })
  })
})
