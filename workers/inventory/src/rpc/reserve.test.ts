import { describe, expect, it } from 'vitest'
import type { ReserveRequest, StockLevels } from '../../../../shared-contracts/inventory'
import { ADMIN, callInventory, createProduct, ordersCredential, rpc, uniqueId } from '../../../../test/support/inventory'

async function levels(productId: string): Promise<StockLevels> {
  return (await (await callInventory(`/api/v1/inventory/${productId}`, { principal: ADMIN })).json()) as StockLevels
}

const request = (items: ReserveRequest['items'], overrides: Partial<ReserveRequest> = {}): ReserveRequest => ({
  order_id: uniqueId('ord'),
  key: uniqueId('key'),
  items,
  ...overrides,
})

const reserve = async (input: unknown) => rpc.reserve(await ordersCredential(), input as ReserveRequest)

describe('InventoryRpc.reserve', () => {
  it('reserves every item, priced from the catalog, and lowers what is available', async () => {
    const teapot = await createProduct({ initial_stock: 5, price_cents: 1999, currency: 'EUR' })
    const cup = await createProduct({ initial_stock: 10, price_cents: 450, currency: 'EUR' })
    const result = await reserve(
      request([
        { product_id: teapot.id, quantity: 2 },
        { product_id: cup.id, quantity: 6 },
      ]),
    )
    expect(result).toEqual({
      ok: true,
      value: {
        reservation_id: expect.stringMatching(/^rsv_/),
        items: [
          { product_id: teapot.id, quantity: 2, unit_price_cents: 1999, currency: 'EUR' },
          { product_id: cup.id, quantity: 6, unit_price_cents: 450, currency: 'EUR' },
        ],
      },
    })
    expect(await levels(teapot.id)).toEqual({ product_id: teapot.id, on_hand: 5, reserved: 2, available: 3 })
    expect(await levels(cup.id)).toEqual({ product_id: cup.id, on_hand: 10, reserved: 6, available: 4 })
  })

  it('takes the last unit', async () => {
    const product = await createProduct({ initial_stock: 1 })
    expect((await reserve(request([{ product_id: product.id, quantity: 1 }]))).ok).toBe(true)
    expect(await levels(product.id)).toMatchObject({ available: 0 })
  })

  it('answers the same result for the same key, and reserves once', async () => {
    const product = await createProduct({ initial_stock: 5 })
    const input = request([{ product_id: product.id, quantity: 2 }])
    const first = await reserve(input)
    const again = await reserve(input)
    expect(again).toEqual(first)
    expect(await levels(product.id)).toMatchObject({ reserved: 2 })
  })

  it('answers the first price for the same key, even after the price changed', async () => {
    const product = await createProduct({ initial_stock: 5, price_cents: 1000 })
    const input = request([{ product_id: product.id, quantity: 1 }])
    const first = await reserve(input)
    await callInventory(`/api/v1/products/${product.id}`, { method: 'PATCH', principal: ADMIN, body: { price_cents: 2000 } })
    expect(await reserve(input)).toEqual(first)
  })

  it('treats the items in another order as the same request', async () => {
    const [a, b] = [await createProduct({ initial_stock: 5 }), await createProduct({ initial_stock: 5 })]
    const input = request([
      { product_id: a.id, quantity: 1 },
      { product_id: b.id, quantity: 1 },
    ])
    const first = await reserve(input)
    expect(await reserve({ ...input, items: [...input.items].reverse() })).toEqual(first)
  })

  it('refuses the same key with another request with idempotency_key_reused, reserving nothing more', async () => {
    const product = await createProduct({ initial_stock: 5 })
    const input = request([{ product_id: product.id, quantity: 1 }])
    await reserve(input)
    const changed = await reserve({ ...input, items: [{ product_id: product.id, quantity: 2 }] })
    expect(changed).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } })
    expect(await reserve({ ...input, order_id: uniqueId('ord') })).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } })
    expect(await levels(product.id)).toMatchObject({ reserved: 1 })
  })

  it('reserves nothing at all when one item is short, and names that product', async () => {
    const plenty = await createProduct({ initial_stock: 10 })
    const scarce = await createProduct({ initial_stock: 1 })
    const result = await reserve(
      request([
        { product_id: plenty.id, quantity: 3 },
        { product_id: scarce.id, quantity: 2 },
      ]),
    )
    expect(result).toMatchObject({ ok: false, error: { code: 'out_of_stock', errors: [{ path: 'items.1.quantity' }] } })
    expect(!result.ok && result.error.detail).toContain(scarce.id)
    expect(await levels(plenty.id)).toMatchObject({ reserved: 0, available: 10 })
    expect(await levels(scarce.id)).toMatchObject({ reserved: 0, available: 1 })
  })

  it('answers the same out_of_stock for the same key, even after a restock', async () => {
    const product = await createProduct({ initial_stock: 1 })
    const input = request([{ product_id: product.id, quantity: 2 }])
    const first = await reserve(input)
    expect(first).toMatchObject({ ok: false, error: { code: 'out_of_stock' } })
    await callInventory(`/api/v1/inventory/${product.id}`, { method: 'PUT', principal: ADMIN, body: { on_hand: 10 } })
    expect(await reserve(input)).toEqual(first)
    expect(await levels(product.id)).toMatchObject({ reserved: 0 })
    expect((await reserve({ ...input, key: uniqueId('key'), order_id: uniqueId('ord') })).ok).toBe(true)
  })

  it('answers not_found for an unknown product and reserves nothing', async () => {
    const product = await createProduct({ initial_stock: 5 })
    const result = await reserve(
      request([
        { product_id: product.id, quantity: 1 },
        { product_id: 'prd_missing', quantity: 1 },
      ]),
    )
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found', errors: [{ path: 'items.1.product_id' }] } })
    expect(await levels(product.id)).toMatchObject({ reserved: 0 })
  })

  it('refuses a second reservation for the same order under another key with conflict', async () => {
    const product = await createProduct({ initial_stock: 5 })
    const input = request([{ product_id: product.id, quantity: 1 }])
    await reserve(input)
    expect(await reserve({ ...input, key: uniqueId('key') })).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await levels(product.id)).toMatchObject({ reserved: 1 })
  })

  it.each([
    ['no items', { items: [] }, 'items'],
    ['a zero quantity', { items: [{ product_id: 'prd_x', quantity: 0 }] }, 'items.0.quantity'],
    ['a fractional quantity', { items: [{ product_id: 'prd_x', quantity: 1.5 }] }, 'items.0.quantity'],
    [
      'a product listed twice',
      {
        items: [
          { product_id: 'prd_x', quantity: 1 },
          { product_id: 'prd_x', quantity: 1 },
        ],
      },
      'items',
    ],
    ['no key', { key: undefined }, 'key'],
    ['an empty order id', { order_id: '' }, 'order_id'],
    ['an unknown field', { total: 5 }, 'total'],
  ])('refuses %s with validation_failed', async (_label, overrides, path) => {
    const result = await reserve({ ...request([{ product_id: 'prd_x', quantity: 1 }]), ...overrides })
    expect(result).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
    expect(!result.ok && result.error.errors?.map((error) => error.path)).toEqual([path])
  })

  it('refuses input that is not an object', async () => {
    expect(await reserve('reserve please')).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
    expect(await reserve(null)).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
  })
})
