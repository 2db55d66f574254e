import { describe, expect, it } from 'vitest'
import { api, signUp } from './client'

const ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }

async function adminToken(): Promise<string> {
  const login = await api<{ access_token: string }>('POST', '/api/v1/auth/login', { body: ADMIN })
  return login.body.access_token
}

interface Product {
  id: string
  sku: string
  price_cents: number
  available: number
}

// Events travel user → outbox → queue → consumer: what they cause shows up eventually.
const EVENTUALLY = { timeout: 20_000, interval: 250 }

describe('the event backbone, end to end', () => {
  it('welcomes a newly registered user with a notification', async () => {
    const { token } = await signUp('Welcome Me')
    await expect
      .poll(async () => (await api<{ items: Array<{ type: string }> }>('GET', '/api/v1/notifications', { token })).body.items, EVENTUALLY)
      .toEqual([expect.objectContaining({ type: 'welcome', channel: 'email', order_id: null })])
  })

  it('shows the availability of a product an admin creates with stock, and follows stock changes', async () => {
    const token = await adminToken()
    const sku = `SKU-${crypto.randomUUID().slice(0, 8)}`
    const created = await api<Product>('POST', '/api/v1/products', {
      token,
      body: { sku, name: 'Edge mug', description: 'Holds coffee', price_cents: 1299, currency: 'EUR', initial_stock: 7 },
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('Location')).toBe(`/api/v1/products/${created.body.id}`)

    const read = await api<Product>('GET', `/api/v1/products/${created.body.id}`)
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({ sku, price_cents: 1299, currency: 'EUR', available: 7 })

    const levels = await api('PUT', `/api/v1/inventory/${created.body.id}`, { token, body: { on_hand: 3 } })
    expect(levels.status).toBe(200)
    expect(levels.body).toEqual({ product_id: created.body.id, on_hand: 3, reserved: 0, available: 3 })
    await expect.poll(async () => (await api<Product>('GET', `/api/v1/products/${created.body.id}`)).body.available, EVENTUALLY).toBe(3)

    const listed = await api<{ items: Product[] }>('GET', '/api/v1/products?limit=100')
    expect(listed.status).toBe(200)
  })

  it('keeps the admin API from customers', async () => {
    const { token } = await signUp()
    const response = await api('POST', '/api/v1/products', {
      token,
      body: { sku: 'NOPE-1', name: 'Nope', price_cents: 100, currency: 'EUR' },
    })
    expect(response.status).toBe(403)
    const deadLetters = await api('GET', '/api/v1/admin/dead-letters', { token })
    expect(deadLetters.status).toBe(403)
  })

  it('lists dead letters for an admin', async () => {
    const response = await api<{ items: unknown[]; next_cursor: null }>('GET', '/api/v1/admin/dead-letters', { token: await adminToken() })
    expect(response.status).toBe(200)
    expect(Array.isArray(response.body.items)).toBe(true)
  })
})

describe('payments through the gateway', () => {
  it('lets an admin list the payments of an order, and hides orders a customer does not own', async () => {
    const orderId = `ord_${crypto.randomUUID().replaceAll('-', '')}`
    const asAdmin = await api<{ items: unknown[]; next_cursor: string | null }>('GET', `/api/v1/payments?order_id=${orderId}`, {
      token: await adminToken(),
    })
    expect(asAdmin.status).toBe(200)
    expect(asAdmin.body).toEqual({ items: [], next_cursor: null })
    const { token } = await signUp()
    const asCustomer = await api('GET', `/api/v1/payments?order_id=${orderId}`, { token })
    expect(asCustomer.status).toBe(404)
    const withoutOrder = await api('GET', '/api/v1/payments', { token })
    expect(withoutOrder.status).toBe(400)
  })
})
