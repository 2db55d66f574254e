import { beforeAll, describe, expect, it } from 'vitest'
import { api, signUp } from './client'
import { adminToken, createProduct, paymentsOf, placeOrder, settled, stockOf } from './shop'

const EVENTUALLY = { timeout: 20_000, interval: 250 }

let admin: string
beforeAll(async () => {
  admin = await adminToken()
})

describe('placing an order through npm start', () => {
  it('confirms a paid order: stock decreased, one capture, a notification, the read model updated', async () => {
    const product = await createProduct(admin, 1500, 5)
    const { token } = await signUp()
    const placed = await placeOrder(token, [{ product_id: product, quantity: 2 }], 'tok_visa')
    expect(placed.status).toBe(202)
    expect(placed.headers.get('Location')).toBe(`/api/v1/orders/${placed.body.id}`)
    expect(placed.body).toMatchObject({
      status: 'pending',
      total_cents: 3000,
      items: [{ product_id: product, quantity: 2, unit_price_cents: 1500 }],
    })

    const order = await settled(token, placed.body.id)
    expect(order).toMatchObject({ status: 'confirmed', cancellation_reason: null })
    expect(await stockOf(admin, product)).toEqual({ product_id: product, on_hand: 3, reserved: 0, available: 3 })
    expect(await paymentsOf(admin, placed.body.id)).toEqual([expect.objectContaining({ amount_cents: 3000, status: 'captured' })])
    const saga = await api<{ status: string; steps: Array<{ name: string; status: string }> }>(
      'GET',
      `/api/v1/orders/${placed.body.id}/saga`,
      { token },
    )
    expect(saga.body.status).toBe('completed')
    expect(saga.body.steps.map((step) => step.status)).toEqual(['succeeded', 'succeeded', 'succeeded'])

    await expect
      .poll(
        async () => (await api<{ items: Array<{ id: string; status: string }> }>('GET', '/api/v1/orders', { token })).body.items,
        EVENTUALLY,
      )
      .toEqual([expect.objectContaining({ id: placed.body.id, status: 'confirmed' })])
    const v2 = await api<{ items: Array<{ total: unknown }> }>('GET', '/api/v2/orders', { token })
    expect(v2.body.items[0]?.total).toEqual({ amount: 3000, currency: 'EUR' })
    await expect
      .poll(
        async () =>
          (await api<{ items: Array<{ type: string }> }>('GET', '/api/v1/notifications', { token })).body.items.map((n) => n.type),
        EVENTUALLY,
      )
      .toContain('order_confirmed')
  })

  it('cancels a declined order: stock back, no capture, saga compensated', async () => {
    const product = await createProduct(admin, 700, 4)
    const { token } = await signUp()
    const placed = await placeOrder(token, [{ product_id: product, quantity: 3 }], 'tok_chargeDeclined')
    const order = await settled(token, placed.body.id)
    expect(order).toMatchObject({ status: 'cancelled', cancellation_reason: 'payment_declined' })
    expect(await stockOf(admin, product)).toMatchObject({ on_hand: 4, reserved: 0, available: 4 })
    expect((await paymentsOf(admin, placed.body.id)).filter((payment) => payment.status === 'captured')).toEqual([])
    const saga = await api<{ status: string }>('GET', `/api/v1/orders/${placed.body.id}/saga`, { token })
    expect(saga.body.status).toBe('compensated')
  })

  it('cancels an order beyond the stock as out_of_stock', async () => {
    const product = await createProduct(admin, 100, 1)
    const { token } = await signUp()
    const placed = await placeOrder(token, [{ product_id: product, quantity: 2 }], 'tok_visa')
    const order = await settled(token, placed.body.id)
    expect(order).toMatchObject({ status: 'cancelled', cancellation_reason: 'out_of_stock' })
    expect(await stockOf(admin, product)).toMatchObject({ on_hand: 1, reserved: 0 })
    expect(await paymentsOf(admin, placed.body.id)).toEqual([])
  })

  it('keeps the Idempotency-Key rules', async () => {
    const product = await createProduct(admin, 100, 10)
    const { token } = await signUp()
    const body = { items: [{ product_id: product, quantity: 1 }], payment_token: 'tok_visa' }
    const missing = await api('POST', '/api/v1/orders', { token, body })
    expect(missing.status).toBe(400)
    const key = crypto.randomUUID()
    const first = await api<{ id: string }>('POST', '/api/v1/orders', { token, body, headers: { 'Idempotency-Key': key } })
    const again = await api<{ id: string }>('POST', '/api/v1/orders', { token, body, headers: { 'Idempotency-Key': key } })
    expect(first.status).toBe(202)
    expect(again.status).toBe(202)
    expect(again.body).toEqual(first.body)
    const other = await api('POST', '/api/v1/orders', {
      token,
      body: { ...body, payment_token: 'tok_chargeDeclined' },
      headers: { 'Idempotency-Key': key },
    })
    expect(other.status).toBe(422)
    await settled(token, first.body.id)
    expect(await stockOf(admin, product)).toMatchObject({ on_hand: 9 })
  })

  it("hides another user's order", async () => {
    const product = await createProduct(admin, 100, 10)
    const owner = await signUp()
    const placed = await placeOrder(owner.token, [{ product_id: product, quantity: 1 }], 'tok_visa')
    const stranger = await signUp()
    expect((await api('GET', `/api/v1/orders/${placed.body.id}`, { token: stranger.token })).status).toBe(404)
    expect((await api('GET', `/api/v1/orders/${placed.body.id}/saga`, { token: stranger.token })).status).toBe(404)
  })
})
