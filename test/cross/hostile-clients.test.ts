import { describe, expect, it } from 'vitest'
import type { ServiceName } from '../../shared-contracts/routes'
import { adminToken, bearer, call, expectProblem, forgeToken, PASSWORD, send, signUp, uniqueEmail, uniqueIp } from './client'
import { breakerState, gatewayRequest, liftFault, setFault, slowInit, trickle } from './gateway-harness'

// A client's slowness is the client's problem: a body that does not arrive in time is a 408 for
// that client, never a failure of the service it was meant for, and refusals are answered before
// a byte of the body is read. Each file has its own runtime, so the breakers here are this file's.

const SHORT_DEADLINE = { CLIENT_BODY_TIMEOUT_MS: '300' }
const registration = () => JSON.stringify({ email: uniqueEmail('slow'), password: PASSWORD, name: 'Slow' })

/** The outcomes the service's breaker counted: a slow client must add no failure. */
async function failuresOf(service: ServiceName): Promise<number> {
  const state = await breakerState(service)
  expect(state?.status ?? 'closed').toBe('closed')
  return state?.status === 'closed' ? state.calls.filter((outcome) => outcome === 'failure').length : 0
}

describe('slow bodies', () => {
  it('answers bodies that stall past the client deadline with 408, opens no breaker, and serves others meanwhile', async () => {
    const slow = Array.from({ length: 12 }, () =>
      gatewayRequest('/api/v1/auth/register', slowInit(trickle(registration(), { stall: true })), SHORT_DEADLINE),
    )
    const meanwhile = send('POST', '/api/v1/auth/register', { email: uniqueEmail(), password: PASSWORD, name: 'Patient' })
    for (const { response } of await Promise.all(slow)) await expectProblem(response, 408, 'request_timeout')
    expect((await meanwhile).status).toBe(201)
    expect(await failuresOf('users')).toBe(0)
    const login = await send('POST', '/api/v1/auth/login', { email: uniqueEmail(), password: PASSWORD })
    await expectProblem(login, 401, 'invalid_credentials')
  })

  it('a dozen slow orders from one customer leave the orders breaker closed and their order list answering', async () => {
    const customer = await signUp('Trickler')
    const order = JSON.stringify({ items: [{ product_id: 'prd_x', quantity: 1 }], payment_token: 'tok_visa' })
    const slow = Array.from({ length: 12 }, () =>
      gatewayRequest(
        '/api/v1/orders',
        slowInit(trickle(order, { stall: true }), { ...bearer(customer.token), 'Idempotency-Key': crypto.randomUUID() }),
        SHORT_DEADLINE,
      ),
    )
    for (const { response } of await Promise.all(slow)) await expectProblem(response, 408, 'request_timeout')
    expect(await failuresOf('orders')).toBe(0)
    expect((await call('/api/v1/orders', { headers: bearer(customer.token) })).status).toBe(200)
    const listed = await call('/api/v1/admin/circuit-breakers', { headers: bearer(await adminToken()) })
    const { items } = (await listed.json()) as { items: Array<{ service: string; state: string }> }
    expect(items.every((item) => item.state === 'closed')).toBe(true)
  })

  it('gives a body that takes longer than the upstream timeout, but arrives within the client deadline, to the service', async () => {
    // Five pieces 150 ms apart: 600 ms of upload against a 150 ms upstream attempt timeout.
    const body = trickle(registration(), { parts: 5, everyMs: 150 })
    const { response } = await gatewayRequest('/api/v1/auth/register', slowInit(body), {
      UPSTREAM_TIMEOUT_MS: '150',
      CLIENT_BODY_TIMEOUT_MS: '5000',
    })
    expect(response.status).toBe(201)
    expect(await failuresOf('users')).toBe(0)
  })

  it('refuses a streamed body over the size limit with 413 as soon as it passes the limit', async () => {
    const big = `{"name":"${'x'.repeat(2048)}"}`
    const { response } = await gatewayRequest('/api/v1/auth/register', slowInit(trickle(big, { parts: 8, everyMs: 10 })), {
      MAX_BODY_BYTES: '1024',
    })
    await expectProblem(response, 413, 'payload_too_large')
  })
})

describe('cheap refusals never wait for the body', () => {
  // A body that never ends: with the default 10 s client deadline, only an answer that does not
  // read it can come back within the test's time.
  const stalled = (headers: Record<string, string> = {}) => slowInit(trickle('{"a":', { stall: true }), headers)

  it.each([
    ['an unknown path', '/api/v1/nothing', {}, 404, 'not_found'],
    ['a wrong method', '/api/v1/products/prd_1', {}, 405, 'method_not_allowed'],
    ['a protected route without a token', '/api/v1/orders', {}, 401, 'unauthenticated'],
  ] as const)('answers %s with a trickling body at once', async (_, path, headers, status, code) => {
    await expectProblem((await gatewayRequest(path, stalled(headers))).response, status, code)
  })

  it('answers a forged token and a refused policy with a trickling body at once', async () => {
    const forged = await forgeToken('k-forged', { sub: 'u_1', roles: ['admin'] })
    await expectProblem((await gatewayRequest('/api/v1/orders', stalled(bearer(forged)))).response, 401, 'unauthenticated')
    const customer = await signUp('Refused')
    await expectProblem((await gatewayRequest('/api/v1/products', stalled(bearer(customer.token)))).response, 403, 'forbidden')
  })

  it('answers a spent quota with a trickling body at once', async () => {
    const ip = uniqueIp()
    const wrong = JSON.stringify({ email: uniqueEmail(), password: PASSWORD })
    for (let i = 0; i < 10; i += 1) {
      await gatewayRequest('/api/v1/auth/login', {
        method: 'POST',
        body: wrong,
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': ip },
      })
    }
    const { response } = await gatewayRequest('/api/v1/auth/login', slowInit(trickle(wrong, { stall: true }), { 'CF-Connecting-IP': ip }))
    await expectProblem(response, 429, 'quota_exceeded')
  })
})

describe('a service that really fails still opens its breaker', () => {
  it('opens on timeouts of the service itself, whatever the bodies did before', async () => {
    const token = await adminToken()
    await setFault(token, 'payments', { mode: 'timeout', rate: 1, latency_ms: 2_000 })
    try {
      const statuses: number[] = []
      const payments = () => gatewayRequest('/api/v1/payments?order_id=ord_x', { headers: bearer(token) }, { UPSTREAM_TIMEOUT_MS: '100' })
      for (let i = 0; i < 12 && statuses.at(-1) !== 503; i += 1) statuses.push((await payments()).response.status)
      // Every attempt timed out (a GET is retried within the retry budget); ten fill the minimum window.
      expect(statuses.at(-1)).toBe(503)
      expect(new Set(statuses.slice(0, -1))).toEqual(new Set([504]))
      expect(statuses.length).toBeLessThanOrEqual(11)
      expect((await breakerState('payments'))?.status).toBe('open')
    } finally {
      await liftFault(token, 'payments')
    }
  })
})
