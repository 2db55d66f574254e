// The operations a run performed, counted from its spans (bench/operations.mjs receives them
// over OTLP; bench/README.md, "Counting operations", says which span counts as what). Pure.

const SERVER = 2
const CLIENT = 3
const PRODUCER = 4

const bump = (object, key, by = 1) => {
  object[key] = (object[key] ?? 0) + by
}
const group = (object, key) => {
  object[key] ??= {}
  return object[key]
}

const isD1Statement = (span) =>
  span.kind === CLIENT && span.attributes['db.system'] === 'Cloudflare D1' && span.attributes['db.operation'] !== undefined
/**
 * The round trip a D1 statement travelled in: a batch's statements (`DB batch > query`, operation
 * `batch`) share their batch span as parent and one call to the database; any other statement is
 * a call of its own.
 */
const d1Call = (span) => (span.attributes['db.operation'] === 'batch' ? `batch ${span.parentSpanId}` : `statement ${span.spanId}`)
const isDoStorage = (span) =>
  span.kind === CLIENT && span.attributes['do.class'] !== undefined && span.attributes['db.operation'] !== undefined
const isDoRequest = (span) =>
  span.kind === SERVER && span.attributes['do.class'] !== undefined && span.attributes['do.method'] !== undefined
const isWorkerRpc = (span) => span.kind === SERVER && span.attributes['rpc.system'] === 'cloudflare_workers_rpc'
const isKv = (span) => span.kind === CLIENT && span.attributes['db.system'] === 'Cloudflare KV'
/** The library's handler spans: one per fetch, queue batch or cron run of a Worker. */
const handlerKind = (span) => /^(fetchHandler|queueHandler|scheduledHandler) /.exec(span.name)?.[1]

/**
 * Totals of `spans` (the receiver's decoded spans):
 * - `d1[service]`: statements, calls (round trips: a batch is one), rowsRead, rowsWritten,
 *   sqlMs (the sum of D1's `meta.duration` over the statements: each statement of a batch carries
 *   its own, the batch span none) and `unreported`, the statements whose meta D1 did not hand
 *   back (`raw()`): no rows and no duration for those;
 * - `doStorage[class][operation]`, `doRequests[class][method]` (alarms are method `alarm`);
 * - `kv[service][operation]`; `queues`: messages sent, batches delivered, messages delivered;
 * - `rpc[service]`: service-binding RPC calls received; `invocations[service][kind]`.
 */
export function tally(spans) {
  const totals = {
    d1: {},
    doStorage: {},
    doRequests: {},
    kv: {},
    queues: { sent: 0, sendCalls: 0, batchesDelivered: 0, delivered: 0 },
    rpc: {},
    invocations: {},
  }
  const calls = {}
  for (const span of spans) {
    const a = span.attributes
    if (isD1Statement(span)) {
      const db = group(totals.d1, span.service)
      bump(db, 'statements')
      group(calls, span.service)[d1Call(span)] = true
      if (a['db.cf.d1.rows_read'] === undefined) bump(db, 'unreported')
      bump(group(db, 'operations'), a['db.operation'])
      bump(db, 'rowsRead', Number(a['db.cf.d1.rows_read'] ?? 0))
      bump(db, 'rowsWritten', Number(a['db.cf.d1.rows_written'] ?? 0))
      bump(db, 'sqlMs', Number(a['db.cf.d1.duration'] ?? 0))
    } else if (isDoStorage(span)) {
      bump(group(totals.doStorage, a['do.class']), a['db.operation'])
    } else if (isDoRequest(span)) {
      bump(group(totals.doRequests, a['do.class']), a['do.method'])
    } else if (isWorkerRpc(span)) {
      bump(totals.rpc, span.service)
    } else if (isKv(span)) {
      bump(group(totals.kv, span.service), a['db.operation'] ?? span.name.split(' ').at(-1))
    } else if (span.kind === PRODUCER && a['messaging.operation.type'] === 'send') {
      totals.queues.sendCalls += 1
      totals.queues.sent += Number(a['messaging.batch.message_count'] ?? 1)
    } else if (span.name.startsWith('Queues ') && span.name.endsWith(' send')) {
      // A single send outside the outbox (a dead letter replayed).
      totals.queues.sendCalls += 1
      totals.queues.sent += 1
    }
    const kind = handlerKind(span)
    if (kind) {
      bump(group(totals.invocations, span.service), kind.replace('Handler', ''))
      if (kind === 'queueHandler') {
        totals.queues.batchesDelivered += 1
        totals.queues.delivered += Number(a['queue.messages_count'] ?? 0)
      }
    }
  }
  for (const [service, seen] of Object.entries(calls)) totals.d1[service].calls = Object.keys(seen).length
  return totals
}

/** Sums of a tally: what a price list counts. */
export function summary(totals) {
  const sum = (values) => values.reduce((total, value) => total + value, 0)
  const d1 = Object.values(totals.d1)
  return {
    d1Statements: sum(d1.map((db) => db.statements)),
    d1RowsRead: sum(d1.map((db) => db.rowsRead)),
    d1RowsWritten: sum(d1.map((db) => db.rowsWritten)),
    doStorage: sum(Object.values(totals.doStorage).flatMap((ops) => Object.values(ops))),
    doRequests: sum(Object.values(totals.doRequests).flatMap((methods) => Object.values(methods))),
    alarms: sum(Object.values(totals.doRequests).map((methods) => methods.alarm ?? 0)),
    kvReads: sum(Object.values(totals.kv).map((ops) => (ops.get ?? 0) + (ops.getWithMetadata ?? 0))),
    kvWrites: sum(Object.values(totals.kv).map((ops) => (ops.put ?? 0) + (ops.delete ?? 0))),
    queueMessages: totals.queues.sent,
    rpcCalls: sum(Object.values(totals.rpc)),
    workerInvocations: sum(Object.values(totals.invocations).flatMap((kinds) => Object.values(kinds))),
  }
}
