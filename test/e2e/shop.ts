// Shared steps of the order suites: an admin stocking the shop, customers placing orders.
import { expect } from 'vitest'
import { api } from './client'

const ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }

export async function adminToken(): Promise<string> {
  const login = await api<{ access_token: string }>('POST', '/api/v1/auth/login', { body: ADMIN })
  expect(login.status).toBe(200)
  return login.body.access_token
}

export async function createProduct(token: string, price_cents: number, stock: number): Promise<string> {
  const sku = `SKU-${crypto.randomUUID().slice(0, 12)}`
  const created = await api<{ id: string }>('POST', '/api/v1/products', {
    token,
    body: { sku, name: `Product ${sku}`, price_cents, currency: 'EUR', initial_stock: stock },
  })
  expect(created.status).toBe(201)
  return created.body.id
}

export interface PlacedOrder {
  id: string
  status: string
  total_cents: number
  items: Array<{ product_id: string; quantity: number; unit_price_cents: number }>
}

/**
 * Places an order as a well-behaved client would: a transient 5xx (or a 409 while a duplicate is
 * in flight) is retried with the same Idempotency-Key, waiting as long as `Retry-After` says.
 */
export async function placeOrder(
  token: string,
  items: Array<{ product_id: string; quantity: number }>,
  payment_token: string,
  key = crypto.randomUUID(),
  deadlineMs = 120_000,
): Promise<{ status: number; body: PlacedOrder; headers: Headers }> {
  const deadline = Date.now() + deadlineMs
  for (let attempt = 0; ; attempt++) {
    const response = await api<PlacedOrder>('POST', '/api/v1/orders', {
      token,
      body: { items, payment_token },
      headers: { 'Idempotency-Key': key },
    })
    const transient = response.status >= 500 || response.status === 409
    if (!transient || Date.now() > deadline) return response
    const retryAfterMs = Number(response.headers.get('Retry-After') ?? 0) * 1000
    await new Promise((resolve) => setTimeout(resolve, Math.max(retryAfterMs, Math.random() * 100 * 2 ** Math.min(attempt, 5))))
  }
}

export const TERMINAL = ['completed', 'compensated', 'failed']

/** Waits until the order's saga is terminal; answers the order then. */
export async function settled(
  token: string,
  orderId: string,
  timeout = 60_000,
): Promise<PlacedOrder & { cancellation_reason: string | null }> {
  await expect
    .poll(async () => (await api<{ status: string }>('GET', `/api/v1/orders/${orderId}/saga`, { token })).body.status, {
      timeout,
      interval: 250,
    })
    .toSatisfy((status: string) => TERMINAL.includes(status))
  return (await api<PlacedOrder & { cancellation_reason: string | null }>('GET', `/api/v1/orders/${orderId}`, { token })).body
}

export async function stockOf(token: string, productId: string) {
  return (await api<{ on_hand: number; reserved: number; available: number }>('GET', `/api/v1/inventory/${productId}`, { token })).body
}

export async function paymentsOf(token: string, orderId: string) {
  return (await api<{ items: Array<{ amount_cents: number; status: string }> }>('GET', `/api/v1/payments?order_id=${orderId}`, { token }))
    .body.items
}
