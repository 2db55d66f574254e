import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { z } from 'zod'
import { ProductSchema, StockLevelsSchema } from '../../../shared-contracts/inventory'
import { NotificationSchema } from '../../../shared-contracts/notifications'
import { OrderItemSchema, OrderSchema, OrderV2Schema, SagaSchema, SagaStepSchema } from '../../../shared-contracts/orders'
import { PaymentSchema } from '../../../shared-contracts/payments'
import { TokenResponseSchema, UserSchema } from '../../../shared-contracts/users'
import {
  adminToken,
  bearer,
  call,
  createProduct,
  expectProblem,
  PASSWORD,
  placeOrder,
  send,
  signUp,
  uniqueEmail,
  type SignedUp,
} from '../client'

// OWASP API3:2023 Broken Object Property Level Authorization. Writes accept only the fields a
// caller may set (anything else is a 400 that changes nothing: mass assignment); reads show
// exactly the contract's fields (no password hash, no internal columns: over-exposure).
let customer: SignedUp
let admin: string
let productId: string
let orderId: string

beforeAll(async () => {
  ;[customer, admin] = await Promise.all([signUp('Props'), adminToken()])
  productId = await createProduct(admin, 50, 1_250)
  orderId = await placeOrder(customer.token, productId)
  // The order list is a read model the order's events fill: wait until it shows this order, so
  // that a test counting the list before and after its own request counts a settled list.
  await vi.waitFor(
    async () => {
      const listed = (await json('/api/v1/orders?limit=100', customer.token)).items as { id: string }[]
      expect(listed.map((order) => order.id)).toContain(orderId)
    },
    { timeout: 30_000, interval: 100 },
  )
})

const json = async (path: string, token?: string) => {
  const response = await call(path, token ? { headers: bearer(token) } : {})
  expect(response.status).toBe(200)
  return (await response.json()) as Record<string, unknown>
}

describe('mass assignment is refused and changes nothing', () => {
  it.each([
    ['roles', { roles: ['admin'] }],
    ['id', { id: 'usr_00000000000000000000000000000000' }],
    ['email', { email: 'admin@example.com' }],
    ['created_at', { created_at: '2000-01-01T00:00:00Z' }],
    ['password_hash', { password_hash: 'x' }],
    ['__proto__', JSON.parse('{"name":"Proto","__proto__":{"roles":["admin"]}}') as object],
  ])('PATCH /users/me with %s', async (_, extra) => {
    const before = await json('/api/v1/users/me', customer.token)
    await expectProblem(
      await send('PATCH', '/api/v1/users/me', { name: 'Changed', ...extra }, bearer(customer.token)),
      400,
      'validation_failed',
    )
    expect(await json('/api/v1/users/me', customer.token)).toEqual(before)
  })

  it('registers a user with roles, id or created_at: refused, no account made', async () => {
    for (const extra of [{ roles: ['admin'] }, { id: 'usr_mine' }, { created_at: '2000-01-01T00:00:00Z' }]) {
      const email = uniqueEmail('mass')
      await expectProblem(
        await send('POST', '/api/v1/auth/register', { email, password: PASSWORD, name: 'Mass', ...extra }),
        400,
        'validation_failed',
      )
      await expectProblem(await send('POST', '/api/v1/auth/login', { email, password: PASSWORD }), 401, 'invalid_credentials')
    }
  })

  it.each([
    ['status', { status: 'confirmed' }],
    ['total_cents', { total_cents: 1 }],
    ['user_id', { user_id: 'usr_00000000000000000000000000000000' }],
    ['unit_price_cents on an item', null],
  ])('POST /orders with %s: refused, no order placed', async (_, extra) => {
    const items = extra ? [{ product_id: productId, quantity: 1 }] : [{ product_id: productId, quantity: 1, unit_price_cents: 1 }]
    const before = ((await json('/api/v1/orders?limit=100', customer.token)).items as unknown[]).length
    const headers = { ...bearer(customer.token), 'Idempotency-Key': crypto.randomUUID() }
    await expectProblem(
      await send('POST', '/api/v1/orders', { items, payment_token: 'tok_visa', ...extra }, headers),
      400,
      'validation_failed',
    )
    expect(((await json('/api/v1/orders?limit=100', customer.token)).items as unknown[]).length).toBe(before)
  })

  it.each([
    ['available', { available: 1_000_000 }],
    ['version', { version: 99 }],
    ['sku', { sku: 'STOLEN' }],
    ['id', { id: 'prd_other' }],
    ['updated_at', { updated_at: '2000-01-01T00:00:00Z' }],
  ])('PATCH /products/{id} with %s, even as admin', async (_, extra) => {
    const before = await json(`/api/v1/products/${productId}`)
    await expectProblem(
      await send('PATCH', `/api/v1/products/${productId}`, { name: 'Renamed', ...extra }, bearer(admin)),
      400,
      'validation_failed',
    )
    expect(await json(`/api/v1/products/${productId}`)).toEqual(before)
  })

  it.each([{ reserved: 0 }, { available: 10 }, { on_hand: 5, reserved: 0 }])('PUT /inventory/{id} with %j', async (body) => {
    const before = await json(`/api/v1/inventory/${productId}`, admin)
    await expectProblem(await send('PUT', `/api/v1/inventory/${productId}`, body, bearer(admin)), 400, 'validation_failed')
    expect(await json(`/api/v1/inventory/${productId}`, admin)).toEqual(before)
  })
})

/** Exactly the contract's fields: no more (over-exposure), no fewer. */
function expectShape(value: unknown, schema: z.ZodObject) {
  expect(Object.keys(value as object).sort()).toEqual(Object.keys(schema.shape).sort())
}

describe('responses show exactly the contract', () => {
  it('users: register, login and /users/me, with no password or hash anywhere', async () => {
    const email = uniqueEmail('shape')
    const registered = await send('POST', '/api/v1/auth/register', { email, password: PASSWORD, name: 'Shape' })
    const login = await send('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    const bodies = [await registered.json(), await login.json(), await json('/api/v1/users/me', customer.token)]
    expectShape(bodies[0], UserSchema)
    expectShape(bodies[1], TokenResponseSchema)
    expectShape(bodies[2], UserSchema)
    for (const body of bodies) expect(JSON.stringify(body)).not.toMatch(/password|hash|salt|\$argon|\$2[aby]\$|pbkdf2/i)
  })

  it('products and stock levels', async () => {
    expectShape(await json(`/api/v1/products/${productId}`), ProductSchema)
    const list = await json('/api/v1/products?limit=5')
    for (const item of list.items as unknown[]) expectShape(item, ProductSchema)
    expectShape(await json(`/api/v1/inventory/${productId}`, admin), StockLevelsSchema)
  })

  it('orders (v1 and v2), sagas and payments, without provider or idempotency internals', async () => {
    const order = await json(`/api/v1/orders/${orderId}`, customer.token)
    expectShape(order, OrderSchema)
    for (const item of order.items as unknown[]) expectShape(item, OrderItemSchema)
    const saga = await json(`/api/v1/orders/${orderId}/saga`, customer.token)
    expectShape(saga, SagaSchema)
    for (const step of saga.steps as unknown[]) expectShape(step, SagaStepSchema)
    const v2 = await vi.waitFor(async () => {
      const page = await json('/api/v2/orders', customer.token)
      expect((page.items as unknown[]).length).toBeGreaterThan(0)
      return page
    })
    for (const item of v2.items as unknown[]) expectShape(item, OrderV2Schema)
    const payments = await vi.waitFor(async () => {
      const page = await json(`/api/v1/payments?order_id=${orderId}`, customer.token)
      expect((page.items as unknown[]).length).toBeGreaterThan(0)
      return page
    })
    for (const payment of payments.items as unknown[]) expectShape(payment, PaymentSchema)
    const text = JSON.stringify([order, saga, v2, payments])
    expect(text).not.toMatch(/tok_visa|provider_charge_id|ch_sandbox|idempotency|request_hash|user_id":"(?!usr_)/)
  })

  it('notifications, without recipient address, body or delivery state', async () => {
    const page = await vi.waitFor(
      async () => {
        const body = await json('/api/v1/notifications', customer.token)
        expect((body.items as unknown[]).length).toBeGreaterThan(0)
        return body
      },
      { timeout: 10_000, interval: 100 },
    )
    for (const item of page.items as unknown[]) expectShape(item, NotificationSchema)
    expect(JSON.stringify(page)).not.toContain(customer.email)
  })
})
