import { describe, expect, it } from 'vitest'
import { MAX_ITEMS, type StockLevels } from '../../../../shared-contracts/inventory'
import { ADMIN, callInventory, createProduct, ordersCredential, rpc, testEnv, uniqueId } from '../../../../test/support/inventory'

// A reservation is priced from the product cache, and its commit or release starts from what this
// isolate remembers of it: both are guesses that the write's own batch checks. These tests change
// the database behind the isolate's back, as a write from another isolate would, and check that
// what the caller gets, and what the stock shows, is the database's truth.

async function levels(productId: string): Promise<StockLevels> {
  return (await (await callInventory(`/api/v1/inventory/${productId}`, { principal: ADMIN })).json()) as StockLevels
}

async function publicPrice(productId: string): Promise<number> {
  const response = await callInventory(`/api/v1/products/${productId}`)
  return ((await response.json()) as { price_cents: number }).price_cents
}

const reserve = async (order_id: string, product_id: string, quantity: number) =>
  rpc.reserve(await ordersCredential(), { order_id, key: uniqueId('key'), items: [{ product_id, quantity }] })

describe('a reservation priced from the product cache', () => {
  it('is priced at the database price when the cached copy is out of date', async () => {
    const product = await createProduct({ initial_stock: 5, price_cents: 1999, currency: 'EUR' })
    expect(await publicPrice(product.id)).toBe(1999)
    // Another writer changes the price without this isolate's cache hearing of it.
    await testEnv.DB.prepare('UPDATE products SET price_cents = 2500, version = version + 1 WHERE id = ?1').bind(product.id).run()
    expect(await publicPrice(product.id)).toBe(1999)

    const order_id = uniqueId('ord')
    const reserved = await reserve(order_id, product.id, 2)
    expect(reserved).toMatchObject({ ok: true, value: { items: [{ product_id: product.id, quantity: 2, unit_price_cents: 2500 }] } })
    const stored = await testEnv.DB.prepare('SELECT unit_price_cents FROM reservation_items WHERE order_id = ?1').bind(order_id).first()
    expect(stored).toEqual({ unit_price_cents: 2500 })
    expect(await levels(product.id)).toEqual({ product_id: product.id, on_hand: 5, reserved: 2, available: 3 })
  })
})

describe('the copy a reservation leaves in the product cache', () => {
  it('is the product as the database holds it, with its new availability', async () => {
    const product = await createProduct({ initial_stock: 5 })
    expect(await reserve(uniqueId('ord'), product.id, 2)).toMatchObject({ ok: true })
    const response = await callInventory(`/api/v1/products/${product.id}`)
    expect(await response.json()).toStrictEqual({ ...product, available: 3 })
  })
})

/**
 * A product of 5 with two orders holding 2 each, made through this isolate (which remembers
 * them); the first then loses its hold behind the isolate's back by `change` (its 2 given back).
 */
async function firstOrderChangedBehind(change: (orderId: string) => D1PreparedStatement[]) {
  const product = await createProduct({ initial_stock: 5 })
  const [first, second] = [uniqueId('ord'), uniqueId('ord')]
  expect(await reserve(first, product.id, 2)).toMatchObject({ ok: true })
  expect(await reserve(second, product.id, 2)).toMatchObject({ ok: true })
  const giveBack = testEnv.DB.prepare('UPDATE stock SET reserved = reserved - 2, version = version + 1 WHERE product_id = ?1')
  await testEnv.DB.batch([...change(first), giveBack.bind(product.id)])
  return { product, first }
}

describe('a commit of a reservation this isolate made', () => {
  it('is refused, and takes no stock, when another call released the reservation first', async () => {
    // The first order's release, as another isolate's would leave the database.
    const { product, first } = await firstOrderChangedBehind((orderId) => [
      testEnv.DB.prepare(`UPDATE reservations SET status = 'released' WHERE order_id = ?1`).bind(orderId),
    ])

    const committed = await rpc.commit(await ordersCredential(), { order_id: first, key: uniqueId('key') })
    expect(committed).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await levels(product.id)).toEqual({ product_id: product.id, on_hand: 5, reserved: 2, available: 3 })
    const { status } = (await testEnv.DB.prepare('SELECT status FROM reservations WHERE order_id = ?1').bind(first).first())!
    expect(status).toBe('released')
  })

  it('is refused, and takes no stock, when the reservation is no longer in the database', async () => {
    // The database loses the first reservation (a restore to a point before it, say).
    const { product, first: gone } = await firstOrderChangedBehind((orderId) => [
      testEnv.DB.prepare('DELETE FROM reservation_items WHERE order_id = ?1').bind(orderId),
      testEnv.DB.prepare('DELETE FROM reservations WHERE order_id = ?1').bind(orderId),
    ])

    const committed = await rpc.commit(await ordersCredential(), { order_id: gone, key: uniqueId('key') })
    expect(committed).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await levels(product.id)).toEqual({ product_id: product.id, on_hand: 5, reserved: 2, available: 3 })
  })

  it('commits what was reserved when nothing moved it', async () => {
    const product = await createProduct({ initial_stock: 5 })
    const order_id = uniqueId('ord')
    expect(await reserve(order_id, product.id, 2)).toMatchObject({ ok: true })
    const committed = await rpc.commit(await ordersCredential(), { order_id, key: uniqueId('key') })
    expect(committed).toEqual({ ok: true, value: { order_id, status: 'committed', items: [{ product_id: product.id, quantity: 2 }] } })
    expect(await levels(product.id)).toEqual({ product_id: product.id, on_hand: 3, reserved: 0, available: 3 })
  })
})

describe('a reservation of as many items as an order may hold', () => {
  it('reserves and commits them all', async () => {
    const products = await Promise.all(Array.from({ length: MAX_ITEMS }, () => createProduct({ initial_stock: 3 })))
    const order_id = uniqueId('ord')
    const items = products.map((product) => ({ product_id: product.id, quantity: 2 }))
    const reserved = await rpc.reserve(await ordersCredential(), { order_id, key: uniqueId('key'), items })
    expect(reserved).toMatchObject({ ok: true })
    expect(reserved.ok && reserved.value.items).toHaveLength(MAX_ITEMS)
    expect(await rpc.commit(await ordersCredential(), { order_id, key: uniqueId('key') })).toMatchObject({
      ok: true,
      value: { status: 'committed' },
    })
    expect(await levels(products.at(-1)!.id)).toEqual({ product_id: products.at(-1)!.id, on_hand: 1, reserved: 0, available: 1 })
  })
})
