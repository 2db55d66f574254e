import { describe, expect, it } from 'vitest'
import { PaymentSchema, type PaymentPage } from '../../../../shared-contracts/payments'
import type { Principal } from '../../../../platform/auth/principal'
import {
  admin,
  callPayments,
  charge,
  chargeRequest,
  customer,
  newKey,
  newOrderId,
  readProblem,
  refund,
} from '../../../../test/support/payments'

const list = (query: string, principal: Principal | null) => callPayments(`/api/v1/payments${query}`, { principal })

async function page(query: string, principal: Principal | null): Promise<PaymentPage> {
  const response = await list(query, principal)
  expect(response.status).toBe(200)
  return (await response.json()) as PaymentPage
}

/** An order of `owner` with a declined attempt, then a capture that was refunded. */
async function orderWithHistory(owner: Principal) {
  const request = chargeRequest({ user_id: owner.id, payment_token: 'tok_chargeDeclined', amount_cents: 3100, currency: 'EUR' })
  await charge(request)
  const paid = await charge({ ...request, payment_token: 'tok_visa', key: newKey() })
  if (!paid.ok) throw new Error(paid.error.code)
  await refund(request.order_id)
  return { orderId: request.order_id, paymentId: paid.value.payment_id }
}

describe('GET /api/v1/payments?order_id=', () => {
  it("shows an admin any order's payments, oldest first, in the public shape", async () => {
    const { orderId, paymentId } = await orderWithHistory(customer())
    const { items, next_cursor } = await page(`?order_id=${orderId}`, admin)
    expect(next_cursor).toBeNull()
    expect(items.map((item) => item.status)).toEqual(['declined', 'refunded'])
    expect(items[1]).toEqual({
      id: paymentId,
      order_id: orderId,
      amount_cents: 3100,
      currency: 'EUR',
      status: 'refunded',
      created_at: expect.any(String),
    })
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(['amount_cents', 'created_at', 'currency', 'id', 'order_id', 'status'])
      expect(PaymentSchema.parse(item)).toEqual(item)
    }
  })

  it('shows a customer the payments of their own order', async () => {
    const owner = customer()
    const { orderId } = await orderWithHistory(owner)
    const { items } = await page(`?order_id=${orderId}`, owner)
    expect(items.map((item) => item.status)).toEqual(['declined', 'refunded'])
  })

  it("answers another customer 404 for someone else's order, as for an order that does not exist", async () => {
    const { orderId } = await orderWithHistory(customer())
    for (const query of [`?order_id=${orderId}`, `?order_id=${newOrderId()}`]) {
      const { status, body } = await readProblem(await list(query, customer()))
      expect(status).toBe(404)
      expect(body.code).toBe('not_found')
    }
  })

  it('answers an admin an empty list for an order without payments', async () => {
    expect(await page(`?order_id=${newOrderId()}`, admin)).toEqual({ items: [], next_cursor: null })
  })

  it('never lists a charge still pending at the provider', async () => {
    const owner = customer()
    const request = chargeRequest({ user_id: owner.id, payment_token: 'tok_transientError' })
    await charge(request)
    expect(await page(`?order_id=${request.order_id}`, admin)).toEqual({ items: [], next_cursor: null })
    expect((await list(`?order_id=${request.order_id}`, owner)).status).toBe(404)
  })

  it('pages with limit and cursor', async () => {
    const request = chargeRequest({ payment_token: 'tok_chargeDeclined' })
    for (let attempt = 0; attempt < 3; attempt++) await charge({ ...request, key: newKey() })
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: string = `?order_id=${request.order_id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`
      const next: PaymentPage = await page(query, admin)
      expect(next.items.length).toBeLessThanOrEqual(2)
      seen.push(...next.items.map((item) => item.id))
      cursor = next.next_cursor
    } while (cursor)
    expect(seen).toHaveLength(3)
    expect(new Set(seen).size).toBe(3)
  })

  it.each([
    ['no order_id', '', 'order_id'],
    ['an empty order_id', '?order_id=', 'order_id'],
    ['a limit of 0', '?order_id=ord_1&limit=0', 'limit'],
    ['a limit over 100', '?order_id=ord_1&limit=101', 'limit'],
    ['a limit that is not a number', '?order_id=ord_1&limit=ten', 'limit'],
    ['a cursor this list did not make', '?order_id=ord_1&cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['an unknown parameter', '?order_id=ord_1&user_id=usr_1', 'user_id'],
  ])('answers %s with 400 validation_failed', async (_label, query, path) => {
    const { status, contentType, body } = await readProblem(await list(query, admin))
    expect(status).toBe(400)
    expect(contentType).toBe('application/problem+json')
    expect(body.code).toBe('validation_failed')
    expect(body.errors?.map((error) => error.path)).toContain(path)
  })

  it('refuses an anonymous caller with 401 and a bearer challenge', async () => {
    const response = await list(`?order_id=${newOrderId()}`, null)
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
    const { status, body } = await readProblem(response)
    expect(status).toBe(401)
    expect(body.code).toBe('unauthenticated')
  })

  it('serves no writes over HTTP: charges and refunds are RPC only', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const { status, body } = await readProblem(await callPayments('/api/v1/payments', { method, principal: admin }))
      expect(status).toBe(404)
      expect(body.code).toBe('not_found')
    }
  })
})
