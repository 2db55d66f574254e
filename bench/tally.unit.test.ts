import { describe, expect, it } from 'vitest'
import { summary, tally } from './tally.mjs'

const span = (service: string, name: string, kind: number, attributes: Record<string, unknown> = {}) => ({
  service,
  name,
  kind,
  attributes,
  traceId: 't',
  spanId: name,
  parentSpanId: '',
  links: [],
  events: [],
  status: {},
  startMs: 0,
  endMs: 1,
})
const d1 = (
  service: string,
  operation: string,
  meta?: { read: number; written: number; ms: number },
  ids?: { id: string; parent: string },
) => ({
  ...span(service, `DB ${operation}`, 3, {
    'db.system': 'Cloudflare D1',
    'db.operation': operation,
    ...(meta ? { 'db.cf.d1.rows_read': meta.read, 'db.cf.d1.rows_written': meta.written, 'db.cf.d1.duration': meta.ms } : {}),
  }),
  ...(ids ? { spanId: ids.id, parentSpanId: ids.parent } : {}),
})

describe('tally: operations counted from spans', () => {
  it('counts D1 statements, calls, rows and SQL time per database, the batch parent not a statement, raw() as unreported', () => {
    const totals = tally([
      d1('orders', 'run', { read: 1, written: 2, ms: 1 }),
      // A batch of two: one call; each statement carries its own duration, the batch span none.
      span('orders', 'DB batch', 1),
      d1('orders', 'batch', { read: 3, written: 4, ms: 0 }, { id: 'q1', parent: 'b1' }),
      d1('orders', 'batch', { read: 0, written: 1, ms: 1 }, { id: 'q2', parent: 'b1' }),
      d1('orders', 'batch', { read: 1, written: 0, ms: 1 }, { id: 'q3', parent: 'b2' }),
      d1('orders', 'raw'),
      d1('inventory', 'all', { read: 7, written: 0, ms: 0 }),
    ])
    expect(totals.d1).toEqual({
      orders: {
        statements: 5,
        calls: 4,
        rowsRead: 5,
        rowsWritten: 7,
        sqlMs: 3,
        unreported: 1,
        operations: { run: 1, batch: 3, raw: 1 },
      },
      inventory: { statements: 1, calls: 1, rowsRead: 7, rowsWritten: 0, sqlMs: 0, operations: { all: 1 } },
    })
  })

  it('counts Durable Object storage per class and operation, and requests per class and method (alarms too)', () => {
    const storage = (cls: string, operation: string) =>
      span('orders', `Durable Object Storage ${operation}`, 3, { 'db.system': 'Cloudflare DO', 'db.operation': operation, 'do.class': cls })
    const request = (cls: string, method: string) => span('orders', `${cls}.${method}`, 2, { 'do.class': cls, 'do.method': method })
    const totals = tally([
      storage('SagaCoordinator', 'put'),
      storage('SagaCoordinator', 'put'),
      storage('SagaCoordinator', 'setAlarm'),
      storage('RateLimiter', 'get'),
      // The library's own storage span names no class: not counted twice.
      span('orders', 'Durable Object Storage put', 3, { 'db.system': 'Cloudflare DO', 'db.operation': 'put' }),
      request('SagaCoordinator', 'start'),
      request('SagaCoordinator', 'alarm'),
      request('RateLimiter', 'take'),
    ])
    expect(totals.doStorage).toEqual({ SagaCoordinator: { put: 2, setAlarm: 1 }, RateLimiter: { get: 1 } })
    expect(totals.doRequests).toEqual({ SagaCoordinator: { start: 1, alarm: 1 }, RateLimiter: { take: 1 } })
    expect(summary(totals)).toMatchObject({ doStorage: 4, doRequests: 3, alarms: 1 })
  })

  it('counts queue messages sent per batch, deliveries, KV, RPC calls and Worker invocations', () => {
    const totals = tally([
      span('orders', 'send EVENTS_ORDERS', 4, { 'messaging.operation.type': 'send', 'messaging.batch.message_count': 2 }),
      span('orders', 'Queues EVENTS_ORDERS sendBatch', 1, { 'queue.operation': 'sendBatch' }),
      span('orders', 'queueHandler orders-events', 5, { 'queue.messages_count': 2 }),
      span('inventory', 'KV CACHE get', 3, { 'db.system': 'Cloudflare KV', 'db.operation': 'get' }),
      span('inventory', 'KV CACHE put', 3, { 'db.system': 'Cloudflare KV', 'db.operation': 'put' }),
      span('inventory', 'InventoryRpc/reserve', 2, { 'rpc.system': 'cloudflare_workers_rpc' }),
      span('gateway', 'fetchHandler POST', 2),
      span('orders', 'fetchHandler POST', 2),
    ])
    expect(totals.queues).toEqual({ sent: 2, sendCalls: 1, batchesDelivered: 1, delivered: 2 })
    expect(totals.invocations).toEqual({ gateway: { fetch: 1 }, orders: { fetch: 1, queue: 1 } })
    expect(summary(totals)).toMatchObject({ kvReads: 1, kvWrites: 1, queueMessages: 2, rpcCalls: 1, workerInvocations: 3 })
  })
})
