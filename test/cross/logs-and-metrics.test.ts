import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import gateway from '../../workers/gateway/src/index'
import type { Env } from '../../workers/gateway/src/env'
import { bearer, call, send, uniqueEmail } from './client'

const DEV_ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }

/** Every line the gateway (this isolate) writes to the console while `run` runs. */
function captureConsole() {
  const lines: string[] = []
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '))
    }),
  )
  return {
    lines,
    restore: () => {
      for (const spy of spies) spy.mockRestore()
    },
  }
}

const entries = (lines: string[]) => lines.flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []))

async function token(email: string, password: string): Promise<string> {
  const login = await send('POST', '/api/v1/auth/login', { email, password })
  expect(login.status).toBe(200)
  return ((await login.json()) as { access_token: string }).access_token
}

describe('structured logs', () => {
  let console_: ReturnType<typeof captureConsole>
  beforeEach(() => {
    console_ = captureConsole()
  })
  afterEach(() => console_.restore())

  it('never contain a password, an access token, a payment token or a signing key, through real flows', async () => {
    const password = `pw-${crypto.randomUUID()}`
    const email = uniqueEmail('logs')
    expect((await send('POST', '/api/v1/auth/register', { email, password, name: 'Ada' })).status).toBe(201)
    const customer = await token(email, password)
    expect((await send('POST', '/api/v1/auth/login', { email, password: `${password}-wrong` })).status).toBe(401)
    expect((await call('/api/v1/users/me', { headers: bearer(customer) })).status).toBe(200)
    expect((await call('/api/v1/users/me', { headers: bearer(`${customer}x`) })).status).toBe(401)
    const admin = await token(DEV_ADMIN.email, DEV_ADMIN.password)
    const created = await send(
      'POST',
      '/api/v1/products',
      { sku: `SKU-${crypto.randomUUID()}`, name: 'Lamp', price_cents: 1500, currency: 'EUR', initial_stock: 5 },
      bearer(admin),
    )
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    const order = await send(
      'POST',
      '/api/v1/orders',
      { items: [{ product_id: id, quantity: 1 }], payment_token: 'tok_visa' },
      { ...bearer(customer), 'Idempotency-Key': crypto.randomUUID() },
    )
    expect(order.status).toBe(202)
    // A token in a query string (a client's mistake) must not reach the logs either.
    expect((await call('/api/v1/products?access_token=secret-in-the-query')).status).toBeLessThan(500)

    const text = console_.lines.join('\n')
    // The flows were logged (the capture works): the refused login has its request line.
    expect(entries(console_.lines).some((entry) => entry.route === '/api/v1/auth/login' && entry.status === 401)).toBe(true)
    const privateKey = JSON.parse((env as Env).GATEWAY_PRIVATE_KEY!) as { d: string }
    for (const secret of [password, DEV_ADMIN.password, customer, admin, 'tok_visa', 'secret-in-the-query', privateKey.d]) {
      expect(text).not.toContain(secret)
    }
  })

  it('has one request line per request: method, route pattern, status, duration and the request id', async () => {
    const response = await call('/api/v1/products/prd_missing?cursor=abc', { headers: { 'X-Request-Id': 'logs-test-request-1' } })
    expect(response.status).toBe(404)
    const lines = entries(console_.lines).filter((entry) => entry.message === 'request' && entry.request_id === 'logs-test-request-1')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ level: 'info', service: 'gateway', method: 'GET', route: '/api/v1/products/:id', status: 404 })
    expect(lines[0]!.duration_ms).toBeTypeOf('number')
    expect(typeof lines[0]!.time).toBe('string')
    expect(JSON.stringify(lines[0])).not.toContain('prd_missing')
  })
})

describe('RED metrics', () => {
  it('has the METRICS dataset bound from wrangler.toml (miniflare accepts the points and drops them)', () => {
    expect(typeof env.METRICS?.writeDataPoint).toBe('function')
  })

  it('writes one data point per request by route pattern and one per downstream call by service', async () => {
    const points: AnalyticsEngineDataPoint[] = []
    const METRICS = { writeDataPoint: (point?: AnalyticsEngineDataPoint) => void points.push(point!) }
    const fetch = async (path: string) => {
      const ctx = createExecutionContext()
      const response = await gateway.fetch(
        new Request(`https://api.example${path}`, { headers: { 'CF-Connecting-IP': '2001:db8::aa' } }),
        { ...env, METRICS },
        ctx,
      )
      await waitOnExecutionContext(ctx)
      return response
    }
    expect((await fetch('/api/v1/products/prd_unknown')).status).toBe(404)
    expect((await fetch('/api/v1/nothing-here')).status).toBe(404)

    const [downstream, request, unmatched] = points
    expect(points).toHaveLength(3)
    expect(downstream).toMatchObject({
      indexes: ['inventory'],
      blobs: ['downstream', 'gateway', '/api/v1/products/:id', 'GET', '404', '4xx', 'inventory'],
    })
    expect(request).toMatchObject({
      indexes: ['/api/v1/products/:id'],
      blobs: ['request', 'gateway', '/api/v1/products/:id', 'GET', '404', '4xx', 'inventory'],
    })
    expect(request!.doubles![1]).toBe(0) // a 4xx is no error of the service
    expect(request!.doubles![2]).toBe(404)
    expect(unmatched).toMatchObject({ indexes: ['unmatched'], blobs: ['request', 'gateway', 'unmatched', 'GET', '404', '4xx', 'gateway'] })
  })
})

describe('request log sampling', () => {
  let console_: ReturnType<typeof captureConsole>
  beforeEach(() => {
    console_ = captureConsole()
  })
  afterEach(() => console_.restore())

  it('writes no line for a sampled-out success but counts it in the metrics; an error is always logged', async () => {
    const points: AnalyticsEngineDataPoint[] = []
    const METRICS = { writeDataPoint: (point?: AnalyticsEngineDataPoint) => void points.push(point!) }
    // The production gateway with every success sampled out.
    const fetch = async (path: string, requestId: string, headers: Record<string, string> = {}) => {
      const ctx = createExecutionContext()
      const response = await gateway.fetch(
        new Request(`https://api.example${path}`, {
          headers: { 'CF-Connecting-IP': '2001:db8::ab', 'X-Request-Id': requestId, ...headers },
        }),
        { ...env, METRICS, LOG_SAMPLE_RATE: '0' },
        ctx,
      )
      await waitOnExecutionContext(ctx)
      return response
    }
    const run = crypto.randomUUID()
    expect((await fetch('/api/v1/products', `sampled-out-${run}`)).status).toBe(200)
    expect((await fetch('/api/v1/products/prd_unknown', `not-found-${run}`)).status).toBe(404)
    expect((await fetch('/api/v1/users/me', `unauthenticated-${run}`, bearer('not-a-token'))).status).toBe(401)

    const requestLines = entries(console_.lines).filter((entry) => entry.message === 'request')
    expect(requestLines.map((entry) => [entry.request_id, entry.status])).toEqual([
      [`not-found-${run}`, 404],
      [`unauthenticated-${run}`, 401],
    ])
    const requests = points.filter((point) => point.blobs?.[0] === 'request')
    expect(requests.map((point) => [point.blobs?.[2], point.blobs?.[4]])).toEqual([
      ['/api/v1/products', '200'],
      ['/api/v1/products/:id', '404'],
      ['/api/v1/users/me', '401'],
    ])
  })
})
