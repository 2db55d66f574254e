import { describe, expect, it } from 'vitest'
import type { ReservationChangeRequest, StockLevels } from '../../../../shared-contracts/inventory'
import { ADMIN, callInventory, createProduct, ordersCredential, rpc, uniqueId } from '../../../../test/support/inventory'

async function levels(productId: string): Promise<StockLevels> {
  return (await (await callInventory(`/api/v1/inventory/${productId}`, { principal: ADMIN })).json()) as StockLevels
}

/** Two products, 10 and 4 on hand, and an order holding 3 and 1 of them. */
async function reservedOrder() {
  const [a, b] = [await createProduct({ initial_stock: 10 }), await createProduct({ initial_stock: 4 })]
  const order_id = uniqueId('ord')
  const items = [
    { product_id: a.id, quantity: 3 },
    { product_id: b.id, quantity: 1 },
  ]
  const reserved = await rpc.reserve(await ordersCredential(), { order_id, key: uniqueId('key'), items })
  if (!reserved.ok) throw new Error(reserved.error.code)
  return { order_id, a: a.id, b: b.id, items }
}

const release = async (input: ReservationChangeRequest) => rpc.release(await ordersCredential(), input)
const commit = async (input: ReservationChangeRequest) => rpc.commit(await ordersCredential(), input)
const keyed = (order_id: string) => ({ order_id, key: uniqueId('key') })

describe('InventoryRpc.release', () => {
  it('gives the reserved stock back and says what it released', async () => {
    const { order_id, a, b, items } = await reservedOrder()
    expect(await release(keyed(order_id))).toEqual({ ok: true, value: { order_id, status: 'released', items } })
    expect(await levels(a)).toEqual({ product_id: a, on_hand: 10, reserved: 0, available: 10 })
    expect(await levels(b)).toEqual({ product_id: b, on_hand: 4, reserved: 0, available: 4 })
  })

  it('answers the same result for the same key, and releases once', async () => {
    const { order_id, a, items } = await reservedOrder()
    const input = keyed(order_id)
    const first = await release(input)
    expect(first).toEqual({ ok: true, value: { order_id, status: 'released', items } })
    expect(await release(input)).toEqual(first)
    expect(await levels(a)).toMatchObject({ reserved: 0 })
  })

  it('is a no-op success when released twice under different keys', async () => {
    const { order_id, a } = await reservedOrder()
    await release(keyed(order_id))
    expect(await release(keyed(order_id))).toEqual({ ok: true, value: { order_id, status: 'released', items: [] } })
    expect(await levels(a)).toEqual({ product_id: a, on_hand: 10, reserved: 0, available: 10 })
  })

  it('is a no-op success for an order that reserved nothing, and a late reserve for it is refused', async () => {
    const order_id = uniqueId('ord')
    expect(await release(keyed(order_id))).toEqual({ ok: true, value: { order_id, status: 'released', items: [] } })
    const product = await createProduct({ initial_stock: 3 })
    const late = await rpc.reserve(await ordersCredential(), {
      order_id,
      key: uniqueId('key'),
      items: [{ product_id: product.id, quantity: 1 }],
    })
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await levels(product.id)).toMatchObject({ reserved: 0 })
  })

  it('refuses to release a committed reservation with conflict, and leaves the stock as committed', async () => {
    const { order_id, a } = await reservedOrder()
    await commit(keyed(order_id))
    expect(await release(keyed(order_id))).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await levels(a)).toEqual({ product_id: a, on_hand: 7, reserved: 0, available: 7 })
  })
})

describe('InventoryRpc.commit', () => {
  it('turns the reservation into a decrease of the stock on hand', async () => {
    const { order_id, a, b, items } = await reservedOrder()
    expect(await commit(keyed(order_id))).toEqual({ ok: true, value: { order_id, status: 'committed', items } })
    expect(await levels(a)).toEqual({ product_id: a, on_hand: 7, reserved: 0, available: 7 })
    expect(await levels(b)).toEqual({ product_id: b, on_hand: 3, reserved: 0, available: 3 })
  })

  it('answers the same result for the same key, and commits once', async () => {
    const { order_id, a, items } = await reservedOrder()
    const input = keyed(order_id)
    const first = await commit(input)
    expect(await commit(input)).toEqual(first)
    expect(first).toEqual({ ok: true, value: { order_id, status: 'committed', items } })
    expect(await levels(a)).toMatchObject({ on_hand: 7, reserved: 0 })
  })

  it('is a no-op success when committed twice under different keys', async () => {
    const { order_id, a } = await reservedOrder()
    await commit(keyed(order_id))
    expect(await commit(keyed(order_id))).toEqual({ ok: true, value: { order_id, status: 'committed', items: [] } })
    expect(await levels(a)).toMatchObject({ on_hand: 7, reserved: 0 })
  })

  it('refuses to commit a released reservation with conflict', async () => {
    const { order_id, a } = await reservedOrder()
    await release(keyed(order_id))
    expect(await commit(keyed(order_id))).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await levels(a)).toEqual({ product_id: a, on_hand: 10, reserved: 0, available: 10 })
  })

  it('answers not_found for an order without a reservation', async () => {
    expect(await commit(keyed(uniqueId('ord')))).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('refuses a key used for another operation with idempotency_key_reused', async () => {
    const { order_id, a } = await reservedOrder()
    const input = keyed(order_id)
    await release(input)
    expect(await commit(input)).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } })
    expect(await levels(a)).toMatchObject({ on_hand: 10, reserved: 0 })
  })

  it('lets a commit and a release race: exactly one wins, the stock is consistent', async () => {
    const { order_id, a } = await reservedOrder()
    const [committed, released] = await Promise.all([commit(keyed(order_id)), release(keyed(order_id))])
    const winners = [committed, released].filter((result) => result.ok)
    expect(winners).toHaveLength(1)
    const after = await levels(a)
    expect(after).toEqual(
      committed.ok ? { product_id: a, on_hand: 7, reserved: 0, available: 7 } : { product_id: a, on_hand: 10, reserved: 0, available: 10 },
    )
  })
})

describe.each([
  ['release', release],
  ['commit', commit],
])('InventoryRpc.%s input', (_name, call) => {
  it.each([
    ['no key', { order_id: 'ord_x' }, 'key'],
    ['no order id', { key: 'k' }, 'order_id'],
    ['an unknown field', { order_id: 'ord_x', key: 'k', items: [] }, 'items'],
  ])('refuses %s with validation_failed', async (_label, input, path) => {
    const result = await call(input as ReservationChangeRequest)
    expect(result).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
    expect(!result.ok && result.error.errors?.map((error) => error.path)).toEqual([path])
  })
})
