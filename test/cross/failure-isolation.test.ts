import { describe, expect, it } from 'vitest'
import { adminToken, bearer, createProduct, expectProblem, signUp } from './client'
import { breakerState, classBreakerState, gatewayRequest, liftFault, setFault } from './gateway-harness'

// Failures stay where they start: a dependency's outage is not charged to the service that
// reports it, and a service's failing writes never refuse its reads. Each test file has its own
// runtime, so these breakers are this file's alone; every fault is lifted in `finally`.

const order = (token: string, productId: string) =>
  gatewayRequest('/api/v1/orders', {
    method: 'POST',
    headers: { ...bearer(token), 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({ items: [{ product_id: productId, quantity: 1 }], payment_token: 'tok_visa' }),
  })
const orders = (token: string) => gatewayRequest('/api/v1/orders', { headers: bearer(token) })

interface BreakerItem {
  service: string
  state: string
  classes: { read: { state: string }; write: { state: string } }
}

async function breakerItem(admin: string, service: string): Promise<BreakerItem> {
  const listed = await gatewayRequest('/api/v1/admin/circuit-breakers', { headers: bearer(admin) })
  expect(listed.response.status).toBe(200)
  return ((await listed.response.json()) as { items: BreakerItem[] }).items.find((item) => item.service === service)!
}

describe('an inventory outage stays in inventory', () => {
  it('orders answers 503 dependency_unavailable with Retry-After, its breakers stay closed and order reads keep answering', {
    timeout: 60_000,
  }, async () => {
    const admin = await adminToken()
    const { token } = await signUp()
    const product = await createProduct(admin)
    await setFault(admin, 'inventory', { mode: 'error', rate: 1 })
    try {
      // Well past the breaker's minimum window (10 calls): every one would count if charged to orders.
      for (let i = 0; i < 14; i += 1) {
        const { response } = await order(token, product)
        const problem = await expectProblem(response, 503, 'dependency_unavailable')
        expect(problem.detail).toMatch(/inventory/)
        expect(response.headers.get('Retry-After')).toBe('5')
        expect((await orders(token)).response.status).toBe(200)
      }
      expect((await classBreakerState('orders', 'write'))?.status).toBe('closed')
      expect((await classBreakerState('orders', 'read'))?.status).toBe('closed')
      expect(await breakerItem(admin, 'orders')).toMatchObject({
        state: 'closed',
        classes: { read: { state: 'closed' }, write: { state: 'closed' } },
      })
    } finally {
      await liftFault(admin, 'inventory')
    }
    expect((await order(token, product)).response.status).toBe(202)
  })
})

describe('a failing write path never refuses reads', () => {
  it('opens the orders write breaker only: order lists answer while placements are refused fast', { timeout: 30_000 }, async () => {
    const admin = await adminToken()
    const { token } = await signUp()
    const product = await createProduct(admin)
    await setFault(admin, 'orders', { mode: 'error', rate: 1 })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 15 && statuses.at(-1) !== 503; i += 1) statuses.push((await order(token, product)).response.status)
      // 10 failed placements fill the minimum window; the 11th is refused by the open write breaker.
      expect(statuses).toEqual([...Array.from({ length: 10 }, () => 500), 503])
    } finally {
      await liftFault(admin, 'orders')
    }
    expect((await classBreakerState('orders', 'write'))?.status).toBe('open')
    expect((await classBreakerState('orders', 'read'))?.status).not.toBe('open')

    expect((await orders(token)).response.status).toBe(200)
    const refused = await order(token, product)
    const problem = await expectProblem(refused.response, 503, 'service_unavailable')
    expect(problem.detail).toMatch(/circuit breaker is open/)

    expect(await breakerItem(admin, 'orders')).toMatchObject({
      state: 'open',
      classes: { read: { state: 'closed' }, write: { state: 'open' } },
    })
    expect((await breakerState('orders'))?.status).toBe('open')
  })
})
