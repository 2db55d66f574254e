import { describe, expect, it } from 'vitest'
import { CloudEventSchema, EVENT_SCHEMAS, EVENT_TYPES, type EventType } from '../../../../shared-contracts/events'
import { createServices } from '../services'
import {
  ADMIN,
  callInventory,
  createProduct,
  CUSTOMER,
  newProductBody,
  ordersCredential,
  outboxFor,
  rpc,
  testEnv,
  uniqueId,
} from '../../../../test/support/inventory'

/** The events about a subject, parsed with the contract schemas. */
async function eventsOf(subject: string) {
  return (await outboxFor(subject)).map((row) => {
    const event = CloudEventSchema.parse(JSON.parse(row.envelope))
    expect(event).toMatchObject({ id: row.id, type: row.type, source: '/services/inventory', subject, datacontenttype: 'application/json' })
    return {
      type: event.type,
      data: EVENT_SCHEMAS[event.type as EventType].parse(event.data) as Record<string, unknown>,
      sent_at: row.sent_at,
    }
  })
}

const patch = (id: string, body: unknown, principal = ADMIN) =>
  callInventory(`/api/v1/products/${id}`, { method: 'PATCH', principal, body })
const put = (id: string, on_hand: number) =>
  callInventory(`/api/v1/inventory/${id}`, { method: 'PUT', principal: ADMIN, body: { on_hand } })

describe('the inventory outbox', () => {
  it('writes product.created and the first stock.changed with the product', async () => {
    const product = await createProduct({ initial_stock: 4 })
    const snapshot = {
      product_id: product.id,
      sku: product.sku,
      name: product.name,
      description: product.description,
      price_cents: product.price_cents,
      currency: product.currency,
    }
    expect((await eventsOf(product.id)).map(({ type, data }) => ({ type, data }))).toEqual([
      { type: EVENT_TYPES.productCreated, data: { ...snapshot, version: 1 } },
      { type: EVENT_TYPES.stockChanged, data: { product_id: product.id, on_hand: 4, reserved: 0, available: 4, version: 1 } },
    ])
  })

  it('writes no stock.changed for a product created without stock', async () => {
    const product = await createProduct()
    expect((await eventsOf(product.id)).map((event) => event.type)).toEqual([EVENT_TYPES.productCreated])
  })

  it('writes product.updated with the whole snapshot and a version that grows with each change', async () => {
    const product = await createProduct()
    await patch(product.id, { name: 'Second' })
    await patch(product.id, { price_cents: 123 })
    const updates = (await eventsOf(product.id)).filter((event) => event.type === EVENT_TYPES.productUpdated).map((event) => event.data)
    expect(updates).toEqual([
      expect.objectContaining({ product_id: product.id, name: 'Second', price_cents: product.price_cents, version: 2 }),
      expect.objectContaining({ product_id: product.id, name: 'Second', price_cents: 123, version: 3 }),
    ])
  })

  it('writes stock.changed for a count, a reservation, a release and a commit', async () => {
    const product = await createProduct({ initial_stock: 5 })
    await put(product.id, 8)
    const credential = await ordersCredential()
    const [first, second] = [uniqueId('ord'), uniqueId('ord')]
    await rpc.reserve(credential, { order_id: first, key: uniqueId('key'), items: [{ product_id: product.id, quantity: 2 }] })
    await rpc.reserve(credential, { order_id: second, key: uniqueId('key'), items: [{ product_id: product.id, quantity: 3 }] })
    await rpc.release(credential, { order_id: first, key: uniqueId('key') })
    await rpc.commit(credential, { order_id: second, key: uniqueId('key') })
    const levels = (await eventsOf(product.id)).filter((event) => event.type === EVENT_TYPES.stockChanged).map((event) => event.data)
    expect(levels).toEqual([
      { product_id: product.id, on_hand: 5, reserved: 0, available: 5, version: 1 },
      { product_id: product.id, on_hand: 8, reserved: 0, available: 8, version: 2 },
      { product_id: product.id, on_hand: 8, reserved: 2, available: 6, version: 3 },
      { product_id: product.id, on_hand: 8, reserved: 5, available: 3, version: 4 },
      { product_id: product.id, on_hand: 8, reserved: 3, available: 5, version: 5 },
      { product_id: product.id, on_hand: 5, reserved: 0, available: 5, version: 6 },
    ])
  })

  it('writes no event for a refused write', async () => {
    const product = await createProduct({ initial_stock: 2 })
    const before = await eventsOf(product.id)
    const credential = await ordersCredential()
    await rpc.reserve(credential, { order_id: uniqueId('ord'), key: uniqueId('key'), items: [{ product_id: product.id, quantity: 1 }] })
    const afterReserve = await eventsOf(product.id)
    expect(afterReserve).toHaveLength(before.length + 1)

    expect((await put(product.id, 0)).status).toBe(409) // below the 1 reserved
    expect((await patch(product.id, { price_cents: 0 })).status).toBe(400)
    expect((await patch(product.id, { name: 'Nope' }, CUSTOMER)).status).toBe(403)
    const short = await rpc.reserve(credential, {
      order_id: uniqueId('ord'),
      key: uniqueId('key'),
      items: [{ product_id: product.id, quantity: 5 }],
    })
    expect(short).toMatchObject({ ok: false, error: { code: 'out_of_stock' } })
    expect(await rpc.commit(credential, { order_id: uniqueId('ord'), key: uniqueId('key') })).toMatchObject({ ok: false })
    expect(await eventsOf(product.id)).toHaveLength(afterReserve.length)
  })

  it('writes no event for a product refused for its taken SKU', async () => {
    const product = await createProduct()
    const response = await callInventory('/api/v1/products', {
      method: 'POST',
      principal: ADMIN,
      body: newProductBody({ sku: product.sku, initial_stock: 3 }),
    })
    expect(response.status).toBe(409)
    const created = await testEnv.DB.prepare(
      `SELECT count(*) AS n FROM outbox WHERE type = ?1 AND json_extract(envelope, '$.data.sku') = ?2`,
    )
      .bind(EVENT_TYPES.productCreated, product.sku)
      .first<{ n: number }>()
    expect(created!.n).toBe(1)
  })

  it('stores its events as sent when it writes them: no service subscribes to them, so no relay or sweep waits on them', async () => {
    const product = await createProduct({ initial_stock: 3 })
    const credential = await ordersCredential()
    await rpc.reserve(credential, { order_id: uniqueId('ord'), key: uniqueId('key'), items: [{ product_id: product.id, quantity: 1 }] })
    // Through the services alone, as well: no relay runs after these.
    const created = await createServices(testEnv).catalog.create({ ...newProductBody(), description: '', initial_stock: 2 })
    if (!created.ok) throw new Error(created.error.code)
    const rows = [...(await outboxFor(product.id)), ...(await outboxFor(created.value.id))]
    expect(rows).toHaveLength(5)
    for (const row of rows) expect(row.sent_at).toBe(row.created_at)

    const swept = await callInventory('/internal/sweep', { method: 'POST' })
    expect(swept.status).toBe(200)
    expect(await swept.json()).toMatchObject({ outbox_failed: 0 })
    expect([...(await outboxFor(product.id)), ...(await outboxFor(created.value.id))]).toEqual(rows)
  })
})
