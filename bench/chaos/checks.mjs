// The invariants a chaos run holds the system to, read through the public API only.
import { call } from '../harness.mjs'

const TERMINAL = ['completed', 'compensated', 'failed']
/** Why an order may be cancelled: its own doing, never the system's (`saga_failed`). */
const BUSINESS_REASONS = ['out_of_stock', 'payment_declined', 'unknown_product']

async function pages(baseUrl, token, path) {
  const items = []
  let cursor = null
  do {
    const page = await call(baseUrl, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
      token,
    })
    if (page.status !== 200) throw new Error(`GET ${path}: ${page.status}`)
    items.push(...page.body.items)
    cursor = page.body.next_cursor
  } while (cursor)
  return items
}

/**
 * Every invariant, each `{ name, ok, detail }`. `run` holds what the driver saw: products with
 * their initial stock, accepted orders (id, key, owner token, items) and the answers per key.
 */
export async function checkInvariants(baseUrl, adminToken, run) {
  const results = []
  const check = (name, failures, total) =>
    results.push({
      name,
      ok: failures.length === 0,
      detail: failures.length === 0 ? `${total} checked` : `${failures.length} of ${total}: ${failures.slice(0, 5).join('; ')}`,
    })

  const aggregates = new Map()
  for (const order of run.orders)
    aggregates.set(order.id, (await call(baseUrl, 'GET', `/api/v1/orders/${order.id}`, { token: order.token })).body)

  const keyFailures = [...run.answersByKey]
    .filter(([, ids]) => new Set(ids).size !== 1)
    .map(([key, ids]) => `${key} → ${[...new Set(ids)].join(',')}`)
  check('one order per idempotency key', keyFailures, run.answersByKey.size)

  const sagaFailures = []
  for (const order of run.orders) {
    const saga = (await call(baseUrl, 'GET', `/api/v1/orders/${order.id}/saga`, { token: order.token })).body
    if (!TERMINAL.includes(saga?.status) || saga.status === 'failed') sagaFailures.push(`${order.id}: ${saga?.status}`)
  }
  check('every saga terminal (completed or compensated)', sagaFailures, run.orders.length)

  const settledFailures = run.orders
    .filter((order) => !['confirmed', 'cancelled'].includes(aggregates.get(order.id)?.status))
    .map((order) => `${order.id}: ${aggregates.get(order.id)?.status}`)
  check('every accepted order confirmed or cancelled', settledFailures, run.orders.length)

  const cancelled = run.orders.filter((order) => aggregates.get(order.id)?.status === 'cancelled')
  const unreasoned = cancelled.filter((order) => !BUSINESS_REASONS.includes(aggregates.get(order.id).cancellation_reason))
  check(
    'no saga_failed cancellation (cancelled only for a business reason)',
    unreasoned.map((order) => `${order.id}: ${aggregates.get(order.id).cancellation_reason}`),
    cancelled.length,
  )

  const stockFailures = []
  for (const product of run.products) {
    const sold = run.orders
      .filter((o) => aggregates.get(o.id)?.status === 'confirmed')
      .flatMap((o) => o.items)
      .filter((i) => i.product_id === product.id)
      .reduce((sum, i) => sum + i.quantity, 0)
    const levels = (await call(baseUrl, 'GET', `/api/v1/inventory/${product.id}`, { token: adminToken })).body
    if (levels.on_hand !== product.stock - sold || levels.reserved !== 0)
      stockFailures.push(`${product.id}: on_hand ${levels.on_hand} (expected ${product.stock - sold}), reserved ${levels.reserved}`)
  }
  check('stock exact (on hand = initial − confirmed, nothing reserved)', stockFailures, run.products.length)

  const moneyFailures = []
  for (const order of run.orders) {
    const payments = await pages(baseUrl, adminToken, `/api/v1/payments?order_id=${order.id}`)
    const captured = payments.filter((p) => p.status === 'captured')
    const status = aggregates.get(order.id)?.status
    if (status === 'confirmed' && (captured.length !== 1 || captured[0].amount_cents !== aggregates.get(order.id).total_cents))
      moneyFailures.push(`${order.id}: confirmed with ${captured.length} capture(s)`)
    if (status === 'cancelled' && captured.length !== 0)
      moneyFailures.push(`${order.id}: cancelled with ${captured.length} unrefunded capture(s)`)
  }
  check('money: one capture per confirmed order, every cancelled capture refunded', moneyFailures, run.orders.length)

  const viewFailures = []
  const notificationFailures = []
  for (const token of new Set(run.orders.map((o) => o.token))) {
    const own = run.orders.filter((o) => o.token === token)
    const views = new Map((await pages(baseUrl, token, '/api/v1/orders')).map((view) => [view.id, view]))
    for (const order of own) {
      const aggregate = aggregates.get(order.id)
      const view = views.get(order.id)
      if (!view || view.status !== aggregate?.status || view.updated_at !== aggregate?.updated_at)
        viewFailures.push(`${order.id}: view ${view?.status ?? 'missing'}, aggregate ${aggregate?.status}`)
    }
    const notifications = await pages(baseUrl, token, '/api/v1/notifications')
    for (const order of own) {
      const count = notifications.filter((n) => n.order_id === order.id).length
      if (count !== 1) notificationFailures.push(`${order.id}: ${count} notification(s)`)
    }
  }
  check('read model equal to the aggregates', viewFailures, run.orders.length)
  check('exactly one notification per settled order', notificationFailures, run.orders.length)

  const deadLetters = await pages(baseUrl, adminToken, '/api/v1/admin/dead-letters')
  check(
    'no dead letters',
    deadLetters.map((d) => `${d.id} (${d.event_type})`),
    deadLetters.length,
  )
  return results
}
