import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_ITEM_QUANTITY, MAX_ITEMS } from '../../../shared-contracts/inventory'
import { ROUTES } from '../../../shared-contracts/routes'
import { MAX_HEADER_BYTES, MAX_HEADER_COUNT } from '../../../workers/gateway/src/middleware/header-limit'
import { adminToken, bearer, call, createProduct, expectProblem, send, signUp, uniqueIp, type SignedUp } from '../client'
import { breakerState, gatewayRequest, slowInit, trickle } from '../gateway-harness'

// OWASP API4:2023 Unrestricted Resource Consumption. Every request is bounded before it costs
// anything: body size, array lengths, string lengths, page sizes, header size and count, and a
// rate limit per client or user that says when to come back.
let customer: SignedUp
let admin: string
let productId: string

beforeAll(async () => {
  ;[customer, admin] = await Promise.all([signUp('Consumer'), adminToken()])
  productId = await createProduct(admin)
})

// Admin routes get the admin's token: a refused policy is answered before the body is read.
const tokenFor = (path: string, method = 'GET') =>
  path.includes('/admin/') ||
  path.includes('/inventory/') ||
  path.includes('/payments') ||
  (method !== 'GET' && path.startsWith('/api/v1/products'))
    ? admin
    : customer.token

describe('request bodies', () => {
  const WRITES = ROUTES.filter((route) => route.method !== 'GET').map((route) => ({
    ...route,
    path: route.path.replace(/:(\w+)/g, 'x_$1'),
  }))

  it.each(WRITES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s refuses a body over 1 MiB with 413',
    async (_, route) => {
      const body = `{"x":"${'a'.repeat(1024 * 1024)}"}`
      await expectProblem(
        await send(route.method, route.path, body, {
          ...bearer(tokenFor(route.path, route.method)),
          'Idempotency-Key': crypto.randomUUID(),
        }),
        413,
        'payload_too_large',
      )
    },
  )

  it(`refuses an order of more than ${MAX_ITEMS} lines or ${MAX_ITEM_QUANTITY} of one product`, async () => {
    const place = (items: unknown[]) =>
      send(
        'POST',
        '/api/v1/orders',
        { items, payment_token: 'tok_visa' },
        { ...bearer(customer.token), 'Idempotency-Key': crypto.randomUUID() },
      )
    const lines = Array.from({ length: MAX_ITEMS + 1 }, () => ({ product_id: productId, quantity: 1 }))
    expect((await expectProblem(await place(lines), 400, 'validation_failed')).errors).toContainEqual(
      expect.objectContaining({ path: 'items' }),
    )
    await expectProblem(await place([{ product_id: productId, quantity: MAX_ITEM_QUANTITY + 1 }]), 400, 'validation_failed')
  })

  it('refuses strings beyond their bounds (names, passwords, tokens, keys)', async () => {
    const long = 'x'.repeat(10_000)
    await expectProblem(await send('PATCH', '/api/v1/users/me', { name: long }, bearer(customer.token)), 400, 'validation_failed')
    await expectProblem(await send('POST', '/api/v1/auth/login', { email: 'a@example.com', password: long }), 400, 'validation_failed')
    const order = { items: [{ product_id: productId, quantity: 1 }], payment_token: long }
    await expectProblem(
      await send('POST', '/api/v1/orders', order, { ...bearer(customer.token), 'Idempotency-Key': crypto.randomUUID() }),
      400,
      'validation_failed',
    )
    const keyed = { ...order, payment_token: 'tok_visa' }
    await expectProblem(
      await send('POST', '/api/v1/orders', keyed, { ...bearer(customer.token), 'Idempotency-Key': long }),
      400,
      'validation_failed',
    )
  })
})

describe('slow uploads', () => {
  // A body that stalls after its first bytes is the client's delay: a 408 for that client within
  // the client deadline, and never a failure of the service the request was for (its breaker).
  const WRITES = ROUTES.filter((route) => route.method !== 'GET').map((route) => ({
    ...route,
    path: route.path.replace(/:(\w+)/g, 'x_$1'),
  }))

  it.each(WRITES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s answers a stalled body with 408 request_timeout',
    async (_, route) => {
      const init = slowInit(trickle('{"x":', { stall: true }), {
        ...bearer(tokenFor(route.path, route.method)),
        'Idempotency-Key': crypto.randomUUID(),
      })
      const { response } = await gatewayRequest(route.path, { ...init, method: route.method }, { CLIENT_BODY_TIMEOUT_MS: '200' })
      await expectProblem(response, 408, 'request_timeout')
      if (route.service !== 'gateway') {
        const state = await breakerState(route.service)
        expect(state?.status ?? 'closed').toBe('closed')
        expect(state?.status === 'closed' ? state.calls.filter((outcome) => outcome === 'failure') : []).toEqual([])
      }
    },
  )
})

describe('pages', () => {
  const LISTS = [
    '/api/v1/products',
    '/api/v1/orders',
    '/api/v2/orders',
    '/api/v1/notifications',
    '/api/v1/payments?order_id=ord_x',
    '/api/v1/admin/sagas',
  ]
  const withQuery = (path: string, query: string) => `${path}${path.includes('?') ? '&' : '?'}${query}`

  it.each(LISTS)('%s serves at most 100 items a page and refuses more', async (path) => {
    for (const limit of ['101', '1000000', '1e9', '-1', '0']) {
      await expectProblem(await call(withQuery(path, `limit=${limit}`), { headers: bearer(tokenFor(path)) }), 400, 'validation_failed')
    }
    expect((await call(withQuery(path, 'limit=100'), { headers: bearer(tokenFor(path)) })).status).toBeLessThan(500)
  })

  it('refuses an oversized cursor', async () => {
    await expectProblem(await call(`/api/v1/products?cursor=${'A'.repeat(4096)}`), 400, 'validation_failed')
  })
})

describe('headers', () => {
  it(`refuses more than ${MAX_HEADER_COUNT} headers with 431`, async () => {
    const headers = Object.fromEntries(Array.from({ length: MAX_HEADER_COUNT + 1 }, (_, index) => [`X-Filler-${index}`, '1']))
    await expectProblem(await call('/health', { headers }), 431, 'header_too_large')
  })

  it(`refuses more than ${MAX_HEADER_BYTES} bytes of headers with 431, one huge header or many`, async () => {
    await expectProblem(await call('/health', { headers: { 'X-Filler': 'a'.repeat(MAX_HEADER_BYTES) } }), 431, 'header_too_large')
    const spread = Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`X-Filler-${index}`, 'a'.repeat(1024)]))
    await expectProblem(await call('/api/v1/users/me', { headers: { ...spread, ...bearer(customer.token) } }), 431, 'header_too_large')
  })

  it('lets an ordinary request with a real token through', async () => {
    const headers = {
      ...bearer(customer.token),
      'User-Agent': 'a'.repeat(1024),
      Accept: 'application/json',
      'X-Request-Id': `req-${crypto.randomUUID()}`,
    }
    expect((await call('/api/v1/users/me', { headers })).status).toBe(200)
  })
})

describe('rate limits', () => {
  it('cuts an anonymous client off after its quota, with Retry-After and RateLimit headers', async () => {
    const ip = uniqueIp()
    // In batches: 140 at once would meet the bulkhead (100 calls in flight per service) first.
    const responses: Response[] = []
    for (let batch = 0; batch < 7; batch++) {
      responses.push(
        ...(await Promise.all(Array.from({ length: 20 }, () => call('/api/v1/products?limit=1', { headers: { 'CF-Connecting-IP': ip } })))),
      )
    }
    const limited = responses.filter((response) => response.status === 429)
    expect(responses.filter((response) => response.status === 200).length).toBeGreaterThanOrEqual(120)
    expect(limited.length).toBeGreaterThan(0)
    await expectProblem(limited[0]!, 429, 'quota_exceeded')
    expect(Number(limited[0]!.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(limited[0]!.headers.get('RateLimit-Policy')).toMatch(/^"anonymous";q=120;w=60$/)
    await Promise.all(responses.filter((response) => !response.bodyUsed).map((response) => response.body?.cancel()))
  })
})
