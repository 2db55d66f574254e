import { describe, expect, it } from 'vitest'
import { EVENT_TYPES, type CloudEvent } from '../../../../shared-contracts/events'
import type { Order, OrderV2, Saga } from '../../../../shared-contracts/orders'
import type { Page } from '../../../../shared-contracts/pagination'
import {
  admin,
  callOrders,
  customer,
  deliver,
  feedReadModel,
  placeOrder,
  readProblem,
  seedProduct,
  settle,
  shardOfUser,
} from '../../../../test/support/orders'

async function placed(principal: ReturnType<typeof customer>, product: string, token = 'tok_visa'): Promise<Order> {
  const response = await placeOrder(principal, { items: [{ product_id: product, quantity: 1 }], payment_token: token })
  expect(response.status).toBe(202)
  return (await response.json()) as Order
}

async function list<T>(path: string, principal = customer()): Promise<Page<T>> {
  const response = await callOrders(path, { principal })
  expect(response.status).toBe(200)
  return (await response.json()) as Page<T>
}

describe('the read model: GET /api/v1/orders and /api/v2/orders', () => {
  it("lists the caller's orders only, newest first, with cursor pagination, as events settle them", async () => {
    const product = await seedProduct({ price: 450, currency: 'USD', stock: 100 })
    const user = customer()
    const orders = [await placed(user, product), await placed(user, product, 'tok_chargeDeclined'), await placed(user, product)]
    await placed(customer(), product)
    for (const order of orders) await settle(order.id)
    await feedReadModel()
    const first = await list<Order>('/api/v1/orders?limit=2', user)
    expect(first.items.map((order) => order.id)).toEqual([orders[2]!.id, orders[1]!.id])
    expect(first.next_cursor).toEqual(expect.any(String))
    const second = await list<Order>(`/api/v1/orders?limit=2&cursor=${first.next_cursor}`, user)
    expect(second).toEqual({ items: [expect.objectContaining({ id: orders[0]!.id })], next_cursor: null })
    expect(first.items[1]).toMatchObject({
      status: 'cancelled',
      cancellation_reason: 'payment_declined',
      total_cents: 450,
      currency: 'USD',
      user_id: user.id,
    })
    expect(first.items[0]).toMatchObject({ status: 'confirmed', items: [{ product_id: product, quantity: 1, unit_price_cents: 450 }] })

    const v2 = await list<OrderV2>('/api/v2/orders?limit=1', user)
    expect(v2.items[0]).toEqual({
      id: orders[2]!.id,
      status: 'confirmed',
      items: [{ product_id: product, quantity: 1, unit_price: { amount: 450, currency: 'USD' } }],
      total: { amount: 450, currency: 'USD' },
      cancellation_reason: null,
      created_at: orders[2]!.created_at,
      updated_at: expect.any(String),
    })
    expect(v2.next_cursor).toEqual(expect.any(String))
  })

  it('is fed by the real queue: the outcome shows up without a hand-fed batch', async () => {
    const product = await seedProduct()
    const user = customer()
    const order = await placed(user, product)
    await settle(order.id)
    await expect
      .poll(async () => (await list<Order>('/api/v1/orders', user)).items.map((item) => [item.id, item.status]), { timeout: 10_000 })
      .toEqual([[order.id, 'confirmed']])
  })

  it('keeps the highest version: an older event never overwrites a newer row; duplicates are no-ops', async () => {
    const product = await seedProduct()
    const user = customer()
    const order = await placed(user, product)
    await settle(order.id)
    const rows = await shardOfUser(user.id)
      .prepare("SELECT envelope FROM outbox WHERE json_extract(envelope, '$.subject') = ?1 ORDER BY created_at")
      .bind(order.id)
      .all<{ envelope: string }>()
    const [placedEvent, confirmedEvent] = rows.results.map((row) => JSON.parse(row.envelope) as CloudEvent<{ version: number }>)
    expect(placedEvent!.type).toBe(EVENT_TYPES.orderPlaced)
    const result = await deliver('orders-events', [confirmedEvent, placedEvent, confirmedEvent])
    expect(result.explicitAcks).toHaveLength(3)
    const page = await list<Order>('/api/v1/orders', user)
    expect(page.items).toEqual([expect.objectContaining({ id: order.id, status: 'confirmed' })])
  })

  it('bad query parameters: 400; anonymous: 401', async () => {
    expect((await readProblem(await callOrders('/api/v1/orders?limit=0', { principal: customer() }))).status).toBe(400)
    expect((await readProblem(await callOrders('/api/v2/orders?cursor=nope', { principal: customer() }))).status).toBe(400)
    expect((await readProblem(await callOrders('/api/v1/orders?colour=red', { principal: customer() }))).status).toBe(400)
    expect((await readProblem(await callOrders('/api/v1/orders'))).status).toBe(401)
  })
})

describe('GET /api/v1/orders/{id}/saga', () => {
  it("the owner's saga; another user's is 404", async () => {
    const product = await seedProduct()
    const user = customer()
    const order = await placed(user, product, 'tok_chargeDeclined')
    await settle(order.id)
    const response = await callOrders(`/api/v1/orders/${order.id}/saga`, { principal: user })
    expect(response.status).toBe(200)
    const saga = (await response.json()) as Saga
    expect(saga).toMatchObject({ order_id: order.id, status: 'compensated' })
    expect(saga.steps.map((step) => step.name)).toEqual(['reserve_inventory', 'charge_payment', 'confirm_order'])
    expect(Object.keys(saga.steps[0]!).sort()).toEqual([
      'attempts',
      'error',
      'finished_at',
      'name',
      'next_retry_at',
      'started_at',
      'status',
    ])
    expect((await readProblem(await callOrders(`/api/v1/orders/${order.id}/saga`, { principal: customer() }))).status).toBe(404)
  })
})

describe('GET /api/v1/admin/sagas', () => {
  it('lists saga summaries by status, for admins only', async () => {
    const product = await seedProduct()
    const declined = await placed(customer(), product, 'tok_chargeDeclined')
    const confirmed = await placed(customer(), product)
    await settle(declined.id)
    await settle(confirmed.id)
    const compensated = await list<Saga>('/api/v1/admin/sagas?status=compensated&limit=100', admin)
    expect(compensated.items.map((saga) => saga.order_id)).toContain(declined.id)
    expect(compensated.items.every((saga) => saga.status === 'compensated')).toBe(true)
    const all = await list<Saga>('/api/v1/admin/sagas?limit=100', admin)
    expect(all.items.find((saga) => saga.order_id === confirmed.id)).toMatchObject({
      status: 'completed',
      steps: [{ status: 'succeeded' }, { status: 'succeeded' }, { status: 'succeeded' }],
    })
    expect((await readProblem(await callOrders('/api/v1/admin/sagas', { principal: customer() }))).status).toBe(403)
    expect((await readProblem(await callOrders('/api/v1/admin/sagas'))).status).toBe(401)
    expect((await readProblem(await callOrders('/api/v1/admin/sagas?status=odd', { principal: admin }))).status).toBe(400)
  })
})

describe('dead letters', () => {
  it('stores what the DLQ delivers; admins list it', async () => {
    const product = await seedProduct()
    const user = customer()
    const order = await placed(user, product)
    const row = await shardOfUser(user.id)
      .prepare("SELECT id, envelope FROM outbox WHERE json_extract(envelope, '$.subject') = ?1")
      .bind(order.id)
      .first<{ id: string; envelope: string }>()
    await deliver('orders-events-dlq', [JSON.parse(row!.envelope)])
    const page = await list<{ event_id: string | null; event_type: string | null }>('/internal/dead-letters', admin)
    expect(page.items).toContainEqual(expect.objectContaining({ event_id: row!.id, event_type: EVENT_TYPES.orderPlaced }))
    await settle(order.id)
    expect((await readProblem(await callOrders('/internal/dead-letters', { principal: customer() }))).status).toBe(403)
  })
})
