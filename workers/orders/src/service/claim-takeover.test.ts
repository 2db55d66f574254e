import { describe, expect, it } from 'vitest'
import type { Product } from '../../../../shared-contracts/inventory'
import { ok } from '../../../../shared-contracts/errors'
import { isErased } from '../../../../platform/privacy/erasures'
import { createIdempotencyRepo } from '../repo/idempotency-repo'
import { createOrdersRepo } from '../repo/orders-repo'
import { customer, testEnv } from '../../../../test/support/orders'
import { createOrdersService, STALE_CLAIM_MS, type OrdersDeps } from './orders-service'

// One order per Idempotency-Key under any timing: a placement that outlives its claim (here,
// its pricing hangs past the stale-claim window) while a retry with the same key takes the claim
// over must write nothing. The orders service runs on the real D1; only the catalog and the
// saga start are our own stand-ins, so the test can hold the first placement where it wants.
const PRODUCT: Product = {
  id: 'prd_takeover',
  sku: 'TAKE-1',
  name: 'Mug',
  description: '',
  price_cents: 900,
  currency: 'EUR',
  available: 10,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
}

const count = async (sql: string, id: string) => (await testEnv.DB.prepare(sql).bind(id).first<{ n: number }>())!.n

describe('a placement that outlived its claim', () => {
  it('writes no order, no event and no saga, and starts nothing: the request that took the claim over places the one order', async () => {
    const user = customer()
    let now = Date.parse('2026-06-01T12:00:00Z')
    let releaseFirst!: () => void
    const firstPricing = new Promise<void>((resolve) => (releaseFirst = resolve))
    let pricings = 0
    const started: Parameters<OrdersDeps['startSaga']>[0][] = []
    const service = createOrdersService({
      orders: createOrdersRepo(testEnv.DB),
      idempotency: createIdempotencyRepo(testEnv.DB),
      isErased: (userId) => isErased(testEnv.DB, userId),
      products: async () => {
        pricings += 1
        if (pricings === 1) await firstPricing // the first placement hangs here
        return ok([PRODUCT])
      },
      startSaga: async (input) => {
        started.push(input)
      },
      stepNames: ['reserve_inventory', 'charge_payment', 'confirm_order'],
      now: () => new Date(now),
    })
    const request = { items: [{ product_id: PRODUCT.id, quantity: 1 }], payment_token: 'tok_visa' }

    const first = service.place(user.id, 'slow-key', request)
    await new Promise((resolve) => setTimeout(resolve, 50)) // the first holds its claim and waits for the catalog
    now += STALE_CLAIM_MS + 1_000 // its claim is stale now: a retry may take it over
    const second = await service.place(user.id, 'slow-key', request)
    expect(second.ok).toBe(true)
    releaseFirst()
    const late = await first
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } })

    expect(await count('SELECT COUNT(*) AS n FROM orders WHERE user_id = ?1', user.id)).toBe(1)
    const orderId = second.ok ? second.value.body.id : ''
    expect(started.map((input) => input.order_id)).toEqual([orderId])
    expect(await count("SELECT COUNT(*) AS n FROM outbox WHERE json_extract(envelope, '$.data.user_id') = ?1", user.id)).toBe(1)
    expect(await count('SELECT COUNT(*) AS n FROM sagas WHERE order_id IN (SELECT id FROM orders WHERE user_id = ?1)', user.id)).toBe(1)
    const key = await testEnv.DB.prepare('SELECT state, order_id FROM idempotency_keys WHERE user_id = ?1').bind(user.id).first()
    expect(key).toEqual({ state: 'done', order_id: orderId })
  })
})
