import { describe, expect, it } from 'vitest'
import { SERVICES } from '../../shared-contracts/routes'
import { adminToken, bearer, expectProblem, send } from './client'
import { countedCalls, gatewayRequest, liftFault, setFault } from './gateway-harness'

// Each test file runs against its own runtime, so the faults injected here and the breakers
// they trip are this file's alone. Every fault is lifted in `finally`.
const request = gatewayRequest

describe('the circuit breaker at the gateway', () => {
  it('opens on a failing service: fast 503s with Retry-After that never reach it, listed as open', async () => {
    const token = await adminToken()
    const payments = () => request('/api/v1/payments?order_id=ord_x', { headers: bearer(token) })
    await setFault(token, 'payments', { mode: 'error', rate: 1 })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 15 && statuses.at(-1) !== 503; i += 1) statuses.push((await payments()).response.status)
      // 10 calls fill the minimum window with failures; the 11th is refused by the open breaker.
      expect(statuses).toEqual([...Array.from({ length: 10 }, () => 500), 503])

      // Now every call would be held for 2 s if it reached payments: the breaker answers at once.
      await setFault(token, 'payments', { mode: 'latency', rate: 1, latency_ms: 2_000 })
      const { response, ms } = await payments()
      const problem = await expectProblem(response, 503, 'service_unavailable')
      expect(problem.detail).toMatch(/circuit breaker is open/)
      expect(ms).toBeLessThan(1_000)
      const retryAfter = Number(response.headers.get('Retry-After'))
      expect(retryAfter).toBeGreaterThanOrEqual(1)
      expect(retryAfter).toBeLessThanOrEqual(30)

      const listed = await request('/api/v1/admin/circuit-breakers', { headers: bearer(token) })
      expect(listed.response.status).toBe(200)
      const { items } = (await listed.response.json()) as {
        items: Array<{ service: string; state: string; failure_rate: number; retry_after_s: number }>
      }
      expect(items.map((item) => item.service)).toEqual([...SERVICES])
      const breaker = items.find((item) => item.service === 'payments')!
      expect(breaker).toMatchObject({ state: 'open', failure_rate: 1 })
      expect(breaker.retry_after_s).toBeGreaterThanOrEqual(1)
      expect(items.filter((item) => item.service !== 'payments').every((item) => item.state === 'closed' && item.retry_after_s === 0)).toBe(
        true,
      )
    } finally {
      await liftFault(token, 'payments')
    }
  })

  it('the admin list is for admins', async () => {
    const login = await send('POST', '/api/v1/auth/register', {
      email: `cb-${crypto.randomUUID()}@example.com`,
      password: 'a long enough password',
      name: 'C',
    })
    expect(login.status).toBe(201)
    await expectProblem((await request('/api/v1/admin/circuit-breakers')).response, 401, 'unauthenticated')
  })
})

describe('timeouts and retries at the gateway', () => {
  // users is held for 2 s per call; the gateway gives each attempt 150 ms.
  const SHORT = { UPSTREAM_TIMEOUT_MS: '150' }

  it('answers 504 gateway_timeout, retries an idempotent GET, and never retries a POST', async () => {
    const token = await adminToken()
    await setFault(token, 'users', { mode: 'timeout', rate: 1, latency_ms: 2_000 })
    try {
      // Successes are reported in batches a moment after their responses (the sign-in above): let them land first.
      await new Promise((resolve) => setTimeout(resolve, 500))
      const before = await countedCalls('users')
      const post = await request(
        '/api/v1/auth/register',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: 'late@example.com', password: 'a long enough password', name: 'L' }),
        },
        SHORT,
      )
      await expectProblem(post.response, 504, 'gateway_timeout')
      expect(post.ms).toBeLessThan(1_000)
      expect(await countedCalls('users')).toBe(before + 1)

      const get = await request('/.well-known/jwks.json', {}, SHORT)
      await expectProblem(get.response, 504, 'gateway_timeout')
      expect(get.ms).toBeGreaterThanOrEqual(3 * 150)
      expect(await countedCalls('users')).toBe(before + 1 + 3)
    } finally {
      await liftFault(token, 'users')
    }
    expect((await request('/.well-known/jwks.json')).response.status).toBe(200)
  })
})

describe('the bulkhead at the gateway', () => {
  it('refuses calls over the concurrency cap at once with 503, and lets the others through', async () => {
    const token = await adminToken()
    await setFault(token, 'inventory', { mode: 'latency', rate: 1, latency_ms: 400 })
    try {
      const results = await Promise.all(Array.from({ length: 5 }, () => request('/api/v1/products', {}, { UPSTREAM_MAX_CONCURRENT: '2' })))
      const ok = results.filter(({ response }) => response.status === 200)
      const refused = results.filter(({ response }) => response.status === 503)
      expect(ok).toHaveLength(2)
      expect(refused).toHaveLength(3)
      for (const { response, ms } of refused) {
        const problem = await expectProblem(response, 503, 'service_unavailable')
        expect(problem.detail).toMatch(/Too many calls/)
        expect(response.headers.get('Retry-After')).toBe('1')
        expect(ms).toBeLessThan(300)
      }
    } finally {
      await liftFault(token, 'inventory')
    }
  })
})
