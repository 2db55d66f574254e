import { describe, expect, it } from 'vitest'
import type { Product } from '../../../../shared-contracts/inventory'
import type { PlaceOrderRequest } from '../../../../shared-contracts/orders'
import { ok } from '../../../../shared-contracts/errors'
import { isErased } from '../../../../platform/privacy/erasures'
import { createIdempotencyRepo } from '../repo/idempotency-repo'
import { createOrdersRepo } from '../repo/orders-repo'
import { customer, testEnv } from '../../../../test/support/orders'
import { createOrdersService, STALE_CLAIM_MS, type OrdersDeps } from './orders-service'
import { requestHash } from './pricing'

// One order per Idempotency-Key under any timing. The key is claimed in the batch that writes
// the order, so two placements with one key that meet (here, the first one's pricing is held
// until the second has placed) race only in that batch: the second batch writes nothing. The
// orders service runs on the real D1; only the catalog and the saga start are our own
// stand-ins, so the test can hold the first placement where it wants.
const PRODUCT: Product = {
  id: 'prd_one_key',
  sku: 'ONE-KEY-1',
  name: 'Mug',
  description: '',
  price_cents: 900,
  currency: 'EUR',
  available: 10,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
}
const REQUEST: PlaceOrderRequest = { items: [{ product_id: PRODUCT.id, quantity: 1 }], payment_token: 'tok_visa' }

const count = async (sql: string, id: string) => (await testEnv.DB.prepare(sql).bind(id).first<{ n: number }>())!.n

/** The orders service on the real D1, its first pricing held until `releaseFirst()`; `started` lists the saga starts. */
function heldService(now: () => number) {
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
      if (pricings === 1) await firstPricing // the first placement waits here
      return ok([PRODUCT])
    },
    startSaga: async (input) => {
      started.push(input)
    },
    stepNames: ['reserve_inventory', 'charge_payment', 'confirm_order'],
    now: () => new Date(now()),
  })
  return { service, started, releaseFirst }
}

async function writtenFor(userId: string) {
  return {
    orders: await count('SELECT COUNT(*) AS n FROM orders WHERE user_id = ?1', userId),
    events: await count("SELECT COUNT(*) AS n FROM outbox WHERE json_extract(envelope, '$.data.user_id') = ?1", userId),
    sagas: await count('SELECT COUNT(*) AS n FROM sagas WHERE order_id IN (SELECT id FROM orders WHERE user_id = ?1)', userId),
  }
}

describe('two placements with one key', () => {
  it('the same body: one order, one event, one saga; the late one answers the order the other placed', async () => {
    const user = customer()
    const { service, started, releaseFirst } = heldService(Date.now)
    const first = service.place(user.id, 'met-key', REQUEST)
    await new Promise((resolve) => setTimeout(resolve, 50)) // the first is pricing
    const second = await service.place(user.id, 'met-key', REQUEST)
    releaseFirst()
    const late = await first
    expect(second.ok && late.ok).toBe(true)
    const orderId = second.ok ? second.value.body.id : ''
    expect(late).toMatchObject({ ok: true, value: { status: 202, body: { id: orderId } } })
    expect(await writtenFor(user.id)).toEqual({ orders: 1, events: 1, sagas: 1 })
    // The late one starts the saga again in case the first start was lost: the same saga.
    expect(new Set(started.map((input) => input.order_id))).toEqual(new Set([orderId]))
    const key = await testEnv.DB.prepare('SELECT state, order_id FROM idempotency_keys WHERE user_id = ?1').bind(user.id).first()
    expect(key).toEqual({ state: 'done', order_id: orderId })
  })

  it('another body: one order; the late one is refused as a reused key', async () => {
    const user = customer()
    const { service, releaseFirst } = heldService(Date.now)
    const first = service.place(user.id, 'met-key', REQUEST)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const second = await service.place(user.id, 'met-key', { ...REQUEST, items: [{ product_id: PRODUCT.id, quantity: 2 }] })
    releaseFirst()
    expect(second.ok).toBe(true)
    expect(await first).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } })
    expect(await writtenFor(user.id)).toEqual({ orders: 1, events: 1, sagas: 1 })
  })

  it('an in-flight claim an earlier build left: a stale one is taken over, a fresh one answers conflict', async () => {
    const now = Date.now()
    const { service, releaseFirst } = heldService(() => now)
    releaseFirst()
    const inFlight = async (userId: string, claimedAt: number) =>
      testEnv.DB.prepare(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, state, claimed_at, created_at) VALUES (?1, 'old', ?2, 'in_flight', ?3, ?4)",
      )
        .bind(userId, await requestHash(REQUEST), claimedAt, new Date(claimedAt).toISOString())
        .run()
    const [stale, fresh] = [customer(), customer()]
    await inFlight(stale.id, now - STALE_CLAIM_MS - 1_000)
    await inFlight(fresh.id, now - 1_000)
    expect(await service.place(stale.id, 'old', REQUEST)).toMatchObject({ ok: true, value: { status: 202 } })
    expect(await writtenFor(stale.id)).toEqual({ orders: 1, events: 1, sagas: 1 })
    expect(await service.place(fresh.id, 'old', REQUEST)).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await writtenFor(fresh.id)).toEqual({ orders: 0, events: 0, sagas: 0 })
  })
})
