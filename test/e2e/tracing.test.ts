// Issue 6: one order placed through the gateway is one trace across every Worker, Durable
// Object and queue it touches; and a collector that hangs never holds up a request.
import { afterEach, describe, expect, inject, it } from 'vitest'
import { api, signUp } from './client'
import type { ReceivedSpan } from './otlp-receiver'
import { adminToken, createProduct, settled } from './shop'

const otlpUrl = inject('otlpUrl')
const SERVER = 2
const CLIENT = 3
const PRODUCER = 4
const CONSUMER = 5

const hex = (bytes: number) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((byte) => byte.toString(16).padStart(2, '0')).join('')

const isD1 = (span: ReceivedSpan) => span.kind === CLIENT && span.attributes['db.system'] === 'Cloudflare D1'

async function spansOf(traceId: string): Promise<ReceivedSpan[]> {
  return (await fetch(`${otlpUrl}/test/spans?trace_id=${traceId}`)).json() as Promise<ReceivedSpan[]>
}

async function setHang(hang: boolean): Promise<void> {
  await fetch(`${otlpUrl}/test/mode`, { method: 'PUT', body: JSON.stringify({ hang }) })
}

/** True if `ancestor` is on `span`'s parent chain within the trace. */
function descends(span: ReceivedSpan, ancestor: ReceivedSpan, byId: Map<string, ReceivedSpan>): boolean {
  for (let current = byId.get(span.parentSpanId); current; current = byId.get(current.parentSpanId)) {
    if (current.spanId === ancestor.spanId) return true
  }
  return false
}

describe('tracing', () => {
  afterEach(() => setHang(false))

  it('exports one trace for an order: gateway, orders, saga coordinator, inventory, payments and, through the queue, notifications', {
    timeout: 270_000,
  }, async () => {
    const admin = await adminToken()
    const productId = await createProduct(admin, 1_250, 10)
    const { token } = await signUp('Traced Customer')
    const traceId = hex(16)
    const clientSpanId = hex(8)

    const placed = await api<{ id: string }>('POST', '/api/v1/orders', {
      token,
      body: { items: [{ product_id: productId, quantity: 2 }], payment_token: 'tok_visa' },
      headers: { 'Idempotency-Key': crypto.randomUUID(), traceparent: `00-${traceId}-${clientSpanId}-01` },
    })
    expect(placed.status).toBe(202)
    expect((await settled(token, placed.body.id, 120_000)).status).toBe('confirmed')

    // Spans arrive after the responses (exported in waitUntil), each Worker's on its own, the
    // notification's after the queue: wait until every span this test looks at is there. On a
    // loaded 2-core machine that can take a while; waiting longer changes nothing it asserts.
    const expected: Record<string, (span: ReceivedSpan) => boolean> = {
      'the gateway server span': (span) => span.service === 'gateway' && span.kind === SERVER && span.parentSpanId === clientSpanId,
      'the orders server span': (span) => span.service === 'orders' && span.kind === SERVER && span.name.startsWith('fetchHandler'),
      'the saga start': (span) => span.name === 'SagaCoordinator/start',
      'the reserve step': (span) => span.name === 'saga reserve_inventory',
      'the charge step': (span) => span.name === 'saga charge_payment',
      'the confirm step': (span) => span.name === 'saga confirm_order',
      'the inventory RPC': (span) => span.service === 'inventory' && span.name === 'InventoryRpc/reserve',
      'the payments RPC': (span) => span.service === 'payments' && span.name === 'PaymentsRpc/charge',
      'the notification consumer': (span) =>
        span.service === 'notifications' && span.kind === CONSUMER && span.attributes['messaging.operation.type'] === 'process',
      'the rate limiter': (span) => span.name === 'RateLimiter/take',
      // Inside each Durable Object, its storage calls as client spans naming the class (what the
      // cost tables in bench/ count).
      "the saga coordinator's storage write": (span) =>
        span.kind === CLIENT && span.attributes['do.class'] === 'SagaCoordinator' && span.attributes['db.operation'] === 'put',
      "the rate limiter's storage write": (span) =>
        span.kind === CLIENT && span.attributes['do.class'] === 'RateLimiter' && span.attributes['db.operation'] === 'put',
      'an orders D1 query': (span) => isD1(span) && span.service === 'orders',
      'an inventory D1 query': (span) => isD1(span) && span.service === 'inventory',
      // The confirmed order's events leave through the outbox in a PRODUCER span of the saga's trace.
      "the outbox's producer span": (span) =>
        span.kind === PRODUCER && span.attributes['messaging.operation.type'] === 'send' && span.service === 'orders',
    }
    const missing = async () => {
      const received = await spansOf(traceId)
      return Object.keys(expected).filter((description) => !received.some(expected[description]!))
    }
    await expect.poll(missing, { timeout: 120_000, interval: 500 }).toEqual([])
    const spans = await spansOf(traceId)
    const byId = new Map(spans.map((span) => [span.spanId, span]))
    expect(new Set(spans.map(({ traceId: id }) => id))).toEqual(new Set([traceId]))
    expect(new Set(spans.map(({ service }) => service))).toEqual(new Set(['gateway', 'orders', 'inventory', 'payments', 'notifications']))

    const find = (description: string) => spans.find(expected[description]!)!
    const gateway = find('the gateway server span')
    expect(gateway.attributes['http.request.method'] ?? gateway.attributes['http.method']).toBe('POST')
    const orders = find('the orders server span')
    const start = find('the saga start')
    const reserveStep = find('the reserve step')
    const chargeStep = find('the charge step')
    const confirmStep = find('the confirm step')
    const reserve = find('the inventory RPC')
    const charge = find('the payments RPC')
    const notified = find('the notification consumer')

    expect(descends(orders, gateway, byId)).toBe(true)
    expect(descends(start, orders, byId)).toBe(true)
    for (const step of [reserveStep, chargeStep, confirmStep]) expect(step.parentSpanId).toBe(start.spanId)
    expect(descends(reserve, reserveStep, byId)).toBe(true)
    expect(descends(charge, chargeStep, byId)).toBe(true)
    expect(descends(notified, confirmStep, byId)).toBe(true)
    expect(reserve.attributes['rpc.method']).toBe('reserve')
    // D1 queries are client spans of the handler or RPC call that made them.
    expect(spans.some((span) => isD1(span) && span.service === 'orders' && descends(span, orders, byId))).toBe(true)
    expect(spans.some((span) => isD1(span) && span.service === 'inventory' && descends(span, reserve, byId))).toBe(true)
    expect(notified.attributes['messaging.system']).toBe('cloudflare_queues')
    // The rate limiter's and the breaker's decisions are on the gateway's span, and on the limiter's own.
    expect(gateway.attributes['ratelimit.allowed']).toBe(true)
    // The customer's first signed-in request: no lease yet, so the limiter itself was asked (docs/adr/0013).
    expect(gateway.attributes['ratelimit.leased']).toBe(false)
    expect(gateway.events).toContainEqual({
      name: 'circuit_breaker.decision',
      attributes: expect.objectContaining({ 'breaker.service': 'orders', 'breaker.allowed': true }),
    })
    const limiter = find('the rate limiter')
    expect(limiter.attributes['ratelimit.allowed']).toBe(true)
    expect(descends(limiter, gateway, byId)).toBe(true)
  })

  it('answers requests normally while the collector hangs', { timeout: 150_000 }, async () => {
    await setHang(true)
    const admin = await adminToken()
    const productId = await createProduct(admin, 990, 5)
    const { token } = await signUp('Customer Of A Dead Collector')
    const placed = await api<{ id: string }>('POST', '/api/v1/orders', {
      token,
      body: { items: [{ product_id: productId, quantity: 1 }], payment_token: 'tok_visa' },
      headers: { 'Idempotency-Key': crypto.randomUUID() },
    })
    expect(placed.status).toBe(202)
    expect((await settled(token, placed.body.id, 120_000)).status).toBe('confirmed')
    expect((await api('GET', '/health')).status).toBe(200)
    expect((await api('GET', '/api/v1/products')).status).toBe(200)
  })
})
