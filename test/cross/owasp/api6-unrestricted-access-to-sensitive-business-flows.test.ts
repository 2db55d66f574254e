import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { adminToken, bearer, createProduct, expectProblem, send, signUp, type SignedUp } from '../client'
import { shardFor } from '../../../platform/db/shards'

// OWASP API6:2023 Unrestricted Access to Sensitive Business Flows. Placing an order (which
// reserves stock and charges a card) cannot be repeated by accident or by a script: an
// Idempotency-Key makes a retry harmless, and the per-user rate limit caps a burst.
let customer: SignedUp
let productId: string

beforeAll(async () => {
  const admin = await adminToken()
  ;[customer, productId] = await Promise.all([signUp('Buyer'), createProduct(admin)])
})

/** The shard of orders' database that holds a user's orders (docs/adr/0067): the runner's `ORDERS_DB`, `ORDERS_DB_1`. */
const ordersDbOf = (userId: string) => {
  const bound = env as unknown as { ORDERS_DB: D1Database; ORDERS_DB_1?: D1Database }
  return shardFor({ DB: bound.ORDERS_DB, DB_1: bound.ORDERS_DB_1 }, userId)
}
const ordersOf = async (userId: string) =>
  (await ordersDbOf(userId).prepare('SELECT count(*) AS n FROM orders WHERE user_id = ?1').bind(userId).first<{ n: number }>())!.n

const order = (quantity = 1) => ({ items: [{ product_id: productId, quantity }], payment_token: 'tok_visa' })
const place = (who: SignedUp, body: unknown, key?: string) =>
  send('POST', '/api/v1/orders', body, { ...bearer(who.token), ...(key === undefined ? {} : { 'Idempotency-Key': key }) })

describe('idempotent order placement', () => {
  it('refuses an order without an Idempotency-Key, and places nothing', async () => {
    const before = await ordersOf(customer.user.id)
    await expectProblem(await place(customer, order()), 400, 'validation_failed')
    await expectProblem(await place(customer, order(), '   '), 400, 'validation_failed')
    expect(await ordersOf(customer.user.id)).toBe(before)
  })

  it('answers the same key and body with the same order, sent one after another or all at once', async () => {
    const before = await ordersOf(customer.user.id)
    const key = crypto.randomUUID()
    const first = await place(customer, order(), key)
    expect(first.status).toBe(202)
    const firstBody = (await first.json()) as { id: string }
    const replays = await Promise.all(Array.from({ length: 5 }, () => place(customer, order(), key)))
    for (const replay of replays) {
      expect(replay.status).toBe(202)
      expect(replay.headers.get('Location')).toBe(`/api/v1/orders/${firstBody.id}`)
      expect(((await replay.json()) as { id: string }).id).toBe(firstBody.id)
    }
    expect(await ordersOf(customer.user.id)).toBe(before + 1)
  })

  it('answers the same key with another body with 422, and places nothing', async () => {
    const key = crypto.randomUUID()
    expect((await place(customer, order(1), key)).status).toBe(202)
    const before = await ordersOf(customer.user.id)
    await expectProblem(await place(customer, order(2), key), 422, 'idempotency_key_reused')
    await expectProblem(await place(customer, { ...order(1), payment_token: 'tok_chargeDeclined' }, key), 422, 'idempotency_key_reused')
    expect(await ordersOf(customer.user.id)).toBe(before)
  })

  it("keeps one customer's key apart from another's: nobody replays someone else's order", async () => {
    const other = await signUp('Other')
    const key = crypto.randomUUID()
    const mine = (await (await place(customer, order(), key)).json()) as { id: string }
    const theirs = await place(other, order(), key)
    expect(theirs.status).toBe(202)
    expect(((await theirs.json()) as { id: string }).id).not.toBe(mine.id)
  })
})

describe('order bursts', () => {
  it('are cut off by the per-user limit (600 a minute): a refused order is never placed', async () => {
    const burster = await signUp('Burst')
    const started = Date.now()
    let passed = 0
    // Spend the user's quota on requests that place nothing (no key), 100 at a time, until refused.
    for (let batch = 0, refused = false; !refused; batch++) {
      expect(batch).toBeLessThan(10)
      const responses = await Promise.all(Array.from({ length: 100 }, () => place(burster, order())))
      refused = responses.some((response) => response.status === 429)
      passed += responses.filter((response) => response.status !== 429).length
      await Promise.all(responses.map((response) => response.body?.cancel()))
    }
    // Then a burst of real orders. What can slip through: the refill (10 a second) and units the
    // gateway's isolate still holds of its lease on this user's quota (at most 5 %: docs/adr/0013).
    const burst = await Promise.all(Array.from({ length: 40 }, () => place(burster, order(), crypto.randomUUID())))
    const limited = burst.filter((response) => response.status === 429)
    const admitted = burst.filter((response) => response.status === 202)
    const refilled = Math.ceil(((Date.now() - started) / 1000) * 10)
    expect(limited.length + admitted.length).toBe(40)
    expect(admitted.length).toBeLessThanOrEqual(30 + refilled)
    // The limit holds in total: the quota and what refilled meanwhile, never more.
    expect(passed + admitted.length).toBeLessThanOrEqual(600 + refilled)
    await expectProblem(limited[0]!, 429, 'quota_exceeded')
    expect(limited[0]!.headers.get('RateLimit-Policy')).toBe('"user";q=600;w=60')
    expect(Number(limited[0]!.headers.get('Retry-After'))).toBeGreaterThan(0)
    await Promise.all(burst.filter((response) => !response.bodyUsed).map((response) => response.body?.cancel()))
    expect(await ordersOf(burster.user.id)).toBe(admitted.length)
  }, 30_000)
})
