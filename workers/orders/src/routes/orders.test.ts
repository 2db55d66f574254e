import { describe, expect, it } from 'vitest'
import { MAX_ITEMS } from '../../../../shared-contracts/inventory'
import type { Order } from '../../../../shared-contracts/orders'
import { requestHash } from '../service/pricing'
import { callOrders, customer, placeOrder, readProblem, seedProduct, settle, shardOfUser } from '../../../../test/support/orders'

const countOrders = async (userId: string) =>
  (await shardOfUser(userId).prepare('SELECT COUNT(*) AS n FROM orders WHERE user_id = ?1').bind(userId).first<{ n: number }>())!.n

describe('POST /api/v1/orders', () => {
  it('places an order priced by the catalog: 202, Location, pending', async () => {
    const product = await seedProduct({ price: 1250 })
    const user = customer()
    const response = await placeOrder(user, { items: [{ product_id: product, quantity: 2 }], payment_token: 'tok_visa' })
    expect(response.status).toBe(202)
    const order = (await response.json()) as Order
    expect(response.headers.get('Location')).toBe(`/api/v1/orders/${order.id}`)
    expect(order).toMatchObject({ user_id: user.id, status: 'pending', total_cents: 2500, currency: 'EUR', cancellation_reason: null })
    expect(order.items).toEqual([{ product_id: product, quantity: 2, unit_price_cents: 1250 }])
    const saga = await settle(order.id)
    expect(saga.status).toBe('completed')
  })

  it('an order of as many items as an order may hold is placed and confirmed', async () => {
    const products = await Promise.all(Array.from({ length: MAX_ITEMS }, () => seedProduct({ price: 100 })))
    const items = products.map((product_id) => ({ product_id, quantity: 1 }))
    const response = await placeOrder(customer(), { items, payment_token: 'tok_visa' })
    expect(response.status).toBe(202)
    const order = (await response.json()) as Order
    expect(order).toMatchObject({ total_cents: 100 * MAX_ITEMS, status: 'pending' })
    expect(await settle(order.id)).toMatchObject({ status: 'completed' })
  })

  it('same key and body: the same response again, one order only', async () => {
    const product = await seedProduct()
    const user = customer()
    const body = { items: [{ product_id: product, quantity: 1 }], payment_token: 'tok_visa' }
    const first = await placeOrder(user, body, 'key-1')
    const second = await placeOrder(user, body, 'key-1')
    expect(second.status).toBe(202)
    expect(second.headers.get('Location')).toBe(first.headers.get('Location'))
    expect(await second.json()).toEqual(await first.json())
    expect(await countOrders(user.id)).toBe(1)
    await settle((first.headers.get('Location') ?? '').split('/').pop()!)
  })

  it('concurrent duplicates: one order; each answer is that order (202) or a 409 conflict', async () => {
    const product = await seedProduct()
    const user = customer()
    const body = { items: [{ product_id: product, quantity: 1 }], payment_token: 'tok_visa' }
    const responses = await Promise.all(Array.from({ length: 5 }, () => placeOrder(user, body, 'racing')))
    const statuses = responses.map((response) => response.status)
    expect(statuses.every((status) => status === 202 || status === 409)).toBe(true)
    const ids = new Set(await Promise.all(responses.filter((r) => r.status === 202).map(async (r) => ((await r.json()) as Order).id)))
    expect(ids.size).toBe(1)
    expect(await countOrders(user.id)).toBe(1)
    await settle([...ids][0]!)
  })

  it('same key, another body: 422 idempotency_key_reused, nothing written', async () => {
    const product = await seedProduct()
    const user = customer()
    const first = await placeOrder(user, { items: [{ product_id: product, quantity: 1 }], payment_token: 'tok_visa' }, 'key-2')
    const reused = await readProblem(
      await placeOrder(user, { items: [{ product_id: product, quantity: 2 }], payment_token: 'tok_visa' }, 'key-2'),
    )
    expect(reused).toMatchObject({ status: 422, contentType: 'application/problem+json', body: { code: 'idempotency_key_reused' } })
    expect(await countOrders(user.id)).toBe(1)
    await settle((first.headers.get('Location') ?? '').split('/').pop()!)
  })

  it('the same key of another user is another request', async () => {
    const product = await seedProduct()
    const [a, b] = [customer(), customer()]
    const body = { items: [{ product_id: product, quantity: 1 }], payment_token: 'tok_chargeDeclined' }
    const first = (await (await placeOrder(a, body, 'shared')).json()) as Order
    const second = (await (await placeOrder(b, body, 'shared')).json()) as Order
    expect(second.id).not.toBe(first.id)
    await settle(first.id)
    await settle(second.id)
  })

  it('a request still in flight with the key: 409 conflict (same body), 422 (another body)', async () => {
    const user = customer()
    const product = await seedProduct()
    const body = { items: [{ product_id: product, quantity: 1 }], payment_token: 'tok_visa' }
    // The first request's claim, as it stands while that request is pricing the items.
    await shardOfUser(user.id)
      .prepare(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, state, claimed_at, created_at) VALUES (?1, 'busy', ?2, 'in_flight', ?3, ?4)",
      )
      .bind(user.id, await requestHash(body), Date.now(), new Date().toISOString())
      .run()
    expect(await readProblem(await placeOrder(user, body, 'busy'))).toMatchObject({ status: 409, body: { code: 'conflict' } })
    const other = { ...body, payment_token: 'tok_chargeDeclined' }
    expect(await readProblem(await placeOrder(user, other, 'busy'))).toMatchObject({
      status: 422,
      body: { code: 'idempotency_key_reused' },
    })
    expect(await countOrders(user.id)).toBe(0)
  })

  it('missing or too long Idempotency-Key: 400', async () => {
    const product = await seedProduct()
    const body = { items: [{ product_id: product, quantity: 1 }], payment_token: 'tok_visa' }
    expect(await readProblem(await placeOrder(customer(), body, null))).toMatchObject({ status: 400, body: { code: 'validation_failed' } })
    expect(await readProblem(await placeOrder(customer(), body, 'k'.repeat(256)))).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    })
  })

  it('bad bodies: 400 with the field path, nothing written', async () => {
    const user = customer()
    const product = await seedProduct()
    const cases: [unknown, string][] = [
      [{ items: [], payment_token: 'tok_visa' }, 'items'],
      [{ items: [{ product_id: product, quantity: 0 }], payment_token: 'tok_visa' }, 'items.0.quantity'],
      [{ items: [{ product_id: product, quantity: 1, unit_price_cents: 1 }], payment_token: 'tok_visa' }, 'items.0'],
      [{ items: [{ product_id: 'prd_nope', quantity: 1 }], payment_token: 'tok_visa' }, 'items.0.product_id'],
      [
        {
          items: [
            { product_id: product, quantity: 1 },
            { product_id: product, quantity: 1 },
          ],
          payment_token: 'tok_visa',
        },
        'items.1.product_id',
      ],
    ]
    for (const [body, path] of cases) {
      const problem = await readProblem(await placeOrder(user, body))
      expect(problem.status, JSON.stringify(body)).toBe(400)
      expect(problem.body.code).toBe('validation_failed')
      expect(problem.body.errors?.map((error) => error.path)).toContain(path)
    }
    expect(await countOrders(user.id)).toBe(0)
  })

  it('an unknown product frees the key: the corrected request may use it', async () => {
    const user = customer()
    const product = await seedProduct()
    expect(
      (await placeOrder(user, { items: [{ product_id: 'prd_nope', quantity: 1 }], payment_token: 'tok_visa' }, 'retry-me')).status,
    ).toBe(400)
    const retried = await placeOrder(user, { items: [{ product_id: product, quantity: 1 }], payment_token: 'tok_visa' }, 'retry-me')
    expect(retried.status).toBe(202)
    await settle(((await retried.json()) as Order).id)
  })

  it('mixed currencies: 400', async () => {
    const [eur, usd] = [await seedProduct({ currency: 'EUR' }), await seedProduct({ currency: 'USD' })]
    const problem = await readProblem(
      await placeOrder(customer(), {
        items: [
          { product_id: eur, quantity: 1 },
          { product_id: usd, quantity: 1 },
        ],
        payment_token: 'tok_visa',
      }),
    )
    expect(problem).toMatchObject({ status: 400, body: { code: 'validation_failed' } })
  })

  it('anonymous: 401', async () => {
    const response = await callOrders('/api/v1/orders', { method: 'POST', body: {}, headers: { 'Idempotency-Key': 'k' } })
    expect(response.status).toBe(401)
  })
})

describe('GET /api/v1/orders/{id}', () => {
  it("the owner's order; another user's is 404", async () => {
    const product = await seedProduct()
    const owner = customer()
    const order = (await (
      await placeOrder(owner, { items: [{ product_id: product, quantity: 1 }], payment_token: 'tok_visa' })
    ).json()) as Order
    await settle(order.id)
    const mine = await callOrders(`/api/v1/orders/${order.id}`, { principal: owner })
    expect(mine.status).toBe(200)
    expect(await mine.json()).toMatchObject({ id: order.id, status: 'confirmed' })
    expect((await readProblem(await callOrders(`/api/v1/orders/${order.id}`, { principal: customer() }))).status).toBe(404)
    expect((await readProblem(await callOrders('/api/v1/orders/ord_missing', { principal: owner }))).status).toBe(404)
  })
})
