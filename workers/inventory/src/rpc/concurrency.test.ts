import { describe, expect, it } from 'vitest'
import { EVENT_TYPES, StockChangedV1 } from '../../../../shared-contracts/events'
import type { StockLevels } from '../../../../shared-contracts/inventory'
import { ADMIN, callInventory, createProduct, ordersCredential, outboxFor, rpc, uniqueId } from '../../../../test/support/inventory'

// Every call here goes through the RPC entrypoint at once (Promise.all): D1 runs the batches
// one after another, and the stock CHECK constraint must hold whatever order they run in.

async function levels(productId: string): Promise<StockLevels> {
  return (await (await callInventory(`/api/v1/inventory/${productId}`, { principal: ADMIN })).json()) as StockLevels
}

const reserve = async (items: { product_id: string; quantity: number }[], key = uniqueId('key'), order_id = uniqueId('ord')) =>
  rpc.reserve(await ordersCredential(), { order_id, key, items })

describe('concurrent reservations', () => {
  it('20 orders of 1 unit against 7 units: exactly 7 are reserved, never more', async () => {
    const product = await createProduct({ initial_stock: 7 })
    const results = await Promise.all(Array.from({ length: 20 }, () => reserve([{ product_id: product.id, quantity: 1 }])))
    expect(results.filter((result) => result.ok)).toHaveLength(7)
    const refused = results.filter((result) => !result.ok)
    expect(refused).toHaveLength(13)
    for (const result of refused) expect(result).toMatchObject({ ok: false, error: { code: 'out_of_stock' } })
    expect(await levels(product.id)).toEqual({ product_id: product.id, on_hand: 7, reserved: 7, available: 0 })
  })

  it('announces each reservation with the levels and version it left, one event per change', async () => {
    const product = await createProduct({ initial_stock: 5 })
    await Promise.all(Array.from({ length: 8 }, () => reserve([{ product_id: product.id, quantity: 1 }])))
    const events = (await outboxFor(product.id))
      .filter((row) => row.type === EVENT_TYPES.stockChanged)
      .map((row) => StockChangedV1.parse((JSON.parse(row.envelope) as { data: unknown }).data))
    // The initial stock (version 1), then 5 reservations: versions 2..6, each one more unit reserved.
    expect(events.map((event) => event.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6])
    for (const event of events) expect(event).toMatchObject({ on_hand: 5, reserved: event.version - 1, available: 6 - event.version })
  })

  it('keeps multi-item orders all or nothing: 10 orders of one A and one B, against 5 A and 3 B', async () => {
    const [a, b] = [await createProduct({ initial_stock: 5 }), await createProduct({ initial_stock: 3 })]
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        reserve([
          { product_id: a.id, quantity: 1 },
          { product_id: b.id, quantity: 1 },
        ]),
      ),
    )
    expect(results.filter((result) => result.ok)).toHaveLength(3)
    expect(await levels(a.id)).toMatchObject({ reserved: 3, available: 2 })
    expect(await levels(b.id)).toMatchObject({ reserved: 3, available: 0 })
  })

  it('reserves once when the same key arrives many times at once, and answers all alike', async () => {
    const product = await createProduct({ initial_stock: 10 })
    const [key, order] = [uniqueId('key'), uniqueId('ord')]
    const results = await Promise.all(Array.from({ length: 10 }, () => reserve([{ product_id: product.id, quantity: 2 }], key, order)))
    expect(results[0]!.ok).toBe(true)
    for (const result of results) expect(result).toEqual(results[0])
    expect(await levels(product.id)).toMatchObject({ reserved: 2 })
  })

  it('gives stock back once when one order is released many times at once', async () => {
    const product = await createProduct({ initial_stock: 4 })
    const order_id = uniqueId('ord')
    await reserve([{ product_id: product.id, quantity: 3 }], uniqueId('key'), order_id)
    const credential = await ordersCredential()
    const results = await Promise.all(Array.from({ length: 8 }, () => rpc.release(credential, { order_id, key: uniqueId('key') })))
    expect(results.every((result) => result.ok)).toBe(true)
    expect(results.filter((result) => result.ok && result.value.items.length > 0)).toHaveLength(1)
    expect(await levels(product.id)).toEqual({ product_id: product.id, on_hand: 4, reserved: 0, available: 4 })
  })

  it('never lets reserved exceed on_hand while the count is lowered during reservations', async () => {
    const product = await createProduct({ initial_stock: 6 })
    const put = callInventory(`/api/v1/inventory/${product.id}`, { method: 'PUT', principal: ADMIN, body: { on_hand: 3 } })
    const [results, response] = await Promise.all([
      Promise.all(Array.from({ length: 8 }, () => reserve([{ product_id: product.id, quantity: 1 }]))),
      put,
    ])
    const reserved = results.filter((result) => result.ok).length
    const after = await levels(product.id)
    expect(after.reserved).toBe(reserved)
    expect(after.reserved).toBeLessThanOrEqual(after.on_hand)
    expect(after.on_hand).toBe(response.status === 200 ? 3 : 6)
    expect([200, 409]).toContain(response.status)
  })
})
