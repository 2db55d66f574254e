// The anatomy of one order: `npm exec -- node bench/order-anatomy.mjs` (about two minutes). Places
// orders through the gateway of the traced system (bench/operations.mjs), one at a time, and
// from each order's own trace breaks its time to `confirmed` down by stage; then counts every
// operation the orders caused. Writes the `order-anatomy` section of bench/RESULTS.md and
// .build/bench/order-anatomy.json.
// Then counts, the same way, a run of cached public product reads and of authenticated
// `users/me` reads, and prices all three per 1,000,000, with the CPU time per request of each
// kind (bench/cpu-time.mjs: on this traced system, on one with tracing off, and on one sampling
// traces as production does). Last, each D1
// database's time per order (statements, calls, the SQL time D1 reports) and the orders per
// second at which it would be busy all the time, three ways (docs/capacity.md); the per-call
// cost comes from a short run of bench/d1-occupancy.mjs after the system has stopped.
//   BENCH_ANATOMY_ORDERS  orders measured (default 40: D1 reports whole milliseconds, so the SQL
//                         time per order is a mean over many statements; the tables show medians / means)
//   BENCH_ANATOMY_READS   reads of each kind counted (default 100)
//   BENCH_ANATOMY_CPU_READS, BENCH_ANATOMY_CPU_ORDERS  requests whose CPU time is measured (default 500, 100)
import { writeFileSync } from 'node:fs'
import { unstable_readConfig } from 'wrangler'
import { measureCpu, measureUntracedCpu, meRead, productRead } from './cpu-time.mjs'
import { measureD1Occupancy } from './d1-occupancy.mjs'
import { BUILD_ROOT, expectCall, sleep } from './harness.mjs'
import { countOperations, startTracedSystem } from './operations.mjs'
import { customerOrdersDb } from './order-system.mjs'
import { writeSection } from './sections.mjs'
import { cell, fixed, median, summarize } from './stats.mjs'
import { summary } from './tally.mjs'

const ORDERS = Number(process.env.BENCH_ANATOMY_ORDERS ?? 40)
const READS = Number(process.env.BENCH_ANATOMY_READS ?? 100)
// CPU time is read in 10 ms ticks: enough requests that a tick is a small part of their sum.
const CPU = { reads: Number(process.env.BENCH_ANATOMY_CPU_READS ?? 500), orders: Number(process.env.BENCH_ANATOMY_CPU_ORDERS ?? 100) }
const SERVER = 2
// Cloudflare Workers Paid list prices, USD, as published in 2026-12 (beyond the monthly inclusions).
const PRICES = {
  date: '2026-12',
  workerRequest: 0.3 / 1e6,
  cpuMs: 0.02 / 1e6,
  doRequest: 0.15 / 1e6,
  d1RowRead: 0.001 / 1e6,
  d1RowWritten: 1 / 1e6,
  doRowRead: 0.001 / 1e6,
  doRowWritten: 1 / 1e6,
  kvRead: 0.5 / 1e6,
  kvWrite: 5 / 1e6,
  queueOperation: 0.4 / 1e6,
}
const QUEUE_OPERATIONS_PER_MESSAGE = 3
// docs/capacity.md's mix: 10,000 requests/s of which 1 % are orders.
const TARGET_ORDERS_PER_SECOND = 100
/** The head-sampling ratio production's Workers run with (the gateway's `[env.production.vars]`). */
const PRODUCTION_SAMPLING = unstable_readConfig({ config: 'wrangler.toml', env: 'production' }, { hideWarnings: true }).vars
  .OTEL_TRACES_SAMPLER_ARG
const log = (...args) => console.log(`[order-anatomy ${new Date().toISOString().slice(11, 19)}]`, ...args)
const hex = (bytes) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((byte) => byte.toString(16).padStart(2, '0')).join('')

/**
 * One order with a traceparent of our own; waits for `confirmed` by reading orders' D1 from
 * outside the Workers (every 5 ms), so that no polling request adds to the count or the trace.
 */
async function placeOne(system, db) {
  const traceId = hex(16)
  const posted = Date.now()
  const body = { items: [{ product_id: system.products[0], quantity: 1 }], payment_token: 'tok_visa' }
  const headers = { 'Idempotency-Key': crypto.randomUUID(), traceparent: `00-${traceId}-${hex(8)}-01` }
  const placed = await expectCall(202, system.url.gateway, 'POST', '/api/v1/orders', { token: system.token, body, headers })
  const answered = Date.now()
  for (let waited = 0; waited < 30_000; waited += 5) {
    const row = await db.prepare('SELECT status FROM orders WHERE id = ?1').bind(placed.body.id).first()
    if (row?.status === 'confirmed') return { traceId, orderId: placed.body.id, posted, answered, confirmed: Date.now() }
    await sleep(5)
  }
  throw new Error(`order ${placed.body.id} not confirmed within 30 s`)
}

/** The stages of one order's trace, in time order, each with the wait before it. */
function stages(order, spans) {
  const trace = spans.filter((span) => span.traceId === order.traceId)
  const pick = (label, test) => trace.filter(test).map((span) => ({ label: label(span), start: span.startMs, end: span.endMs }))
  const isStep = (span) => span.name.startsWith('saga ') && span.name !== 'saga relay_events'
  const rows = [
    ...pick(
      () => 'gateway (whole request)',
      (span) => span.service === 'gateway' && span.kind === SERVER && span.name.startsWith('fetchHandler'),
    ),
    ...pick(
      () => 'orders: place (whole request)',
      (span) => span.service === 'orders' && span.kind === SERVER && span.name.startsWith('fetchHandler'),
    ),
    ...pick(
      () => 'saga start',
      (span) => span.name === 'SagaCoordinator/start',
    ),
    ...pick((span) => span.name.replace('saga ', 'step '), isStep),
    ...pick(
      () => 'relay of the events',
      (span) => span.name === 'saga relay_events',
    ),
  ].sort((a, b) => a.start - b.start)
  return rows.map((row) => ({ label: row.label, from: row.start - order.posted, ms: row.end - row.start }))
}

const system = await startTracedSystem()
let result
try {
  const db = await customerOrdersDb(system)
  log('warming up: one order')
  await placeOne(system, db)
  log(`placing ${ORDERS} orders, one at a time, traced`)
  const counted = await countOperations(system, async () => {
    const orders = []
    for (let index = 0; index < ORDERS; index++) orders.push(await placeOne(system, db))
    return orders
  })
  const orders = counted.value
  const perOrder = orders.map((order) => stages(order, counted.spans))
  result = {
    date: new Date().toISOString(),
    orders: orders.map((order, index) => ({
      toConfirmed: order.confirmed - order.posted,
      answered: order.answered - order.posted,
      stages: perOrder[index],
    })),
    totals: counted.totals,
    // Not in the report: every span of the orders' traces, to look into (.build/bench/order-anatomy.json).
    spans: counted.spans.filter((span) => orders.some((order) => order.traceId === span.traceId)),
    summary: summary(counted.totals),
    count: ORDERS,
  }
  result.kinds = [
    { name: 'cached read', ...(await countReads(system, 'a public product read answered from the gateway cache', productRead)) },
    { name: 'authenticated read', ...(await countReads(system, '`GET /api/v1/users/me` with a token', meRead)) },
    { name: 'order', what: 'an order placed and confirmed', totals: result.totals, summary: result.summary, count: ORDERS },
  ]
  log(`measuring CPU time: ${CPU.reads} reads of each kind, ${CPU.orders} orders`)
  result.cpu = await measureCpu(system, CPU)
} finally {
  await system.stop()
}
log('measuring CPU time again with tracing off, on a system of its own')
result.cpuUntraced = await measureUntracedCpu(CPU)
log(`measuring CPU time again with production's trace sampling (${PRODUCTION_SAMPLING}), on a system of its own`)
result.cpuSampled = await measureSampledCpu(CPU)
log('measuring local D1 per call (bench/d1-occupancy.mjs, one round)')
result.d1Call = await measureD1Occupancy({ rounds: 1 })
writeFileSync(`${BUILD_ROOT}/order-anatomy.json`, JSON.stringify(result))
writeSection('order-anatomy', render(result))
log(`time to confirmed p50 ${median(result.orders.map((order) => order.toConfirmed))} ms; written to bench/RESULTS.md`)

/** Counts the operations of READS requests of one kind, one after another, after one warm-up. */
async function countReads(system, what, read) {
  await read(system)
  log(`counting ${READS} of: ${what}`)
  const counted = await countOperations(system, async () => {
    const answers = {}
    for (let index = 0; index < READS; index++) {
      const answer = (await read(system)) ?? 'none'
      answers[answer] = (answers[answer] ?? 0) + 1
    }
    return answers
  })
  return { what, answers: counted.value, totals: counted.totals, summary: summary(counted.totals), count: READS }
}

/** The cost of 1,000,000 requests of a kind from the counts of `r.count` of them. */
function costRows(r, cpuMs) {
  const s = r.summary
  const per = (value) => value / r.count
  const storage = Object.values(r.totals.doStorage)
  const sum = (pick) => storage.reduce((total, ops) => total + pick(ops), 0)
  const doReads = sum((ops) => (ops.get ?? 0) + (ops.list ?? 0) + (ops.getAlarm ?? 0))
  const doWrites = sum((ops) => (ops.put ?? 0) + (ops.delete ?? 0) + (ops.deleteAll ?? 0) + (ops.setAlarm ?? 0) + (ops.deleteAlarm ?? 0))
  const rows = [
    ['Worker invocations (every fetch, queue batch: an upper bound, see below)', per(s.workerInvocations), PRICES.workerRequest],
    ['Workers CPU time, ms (the whole local runtime: an upper bound, see below)', cpuMs ?? 0, PRICES.cpuMs],
    ['Durable Object requests (RPC calls and alarms)', per(s.doRequests), PRICES.doRequest],
    ['Durable Object storage rows read (a get = 1)', per(doReads), PRICES.doRowRead],
    ['Durable Object storage rows written (a put or alarm set = 1)', per(doWrites), PRICES.doRowWritten],
    ['D1 rows read (as D1 reports them)', per(s.d1RowsRead), PRICES.d1RowRead],
    ['D1 rows written', per(s.d1RowsWritten), PRICES.d1RowWritten],
    ['KV reads', per(s.kvReads), PRICES.kvRead],
    ['KV writes', per(s.kvWrites), PRICES.kvWrite],
    [
      `Queue operations (${QUEUE_OPERATIONS_PER_MESSAGE} per message: write, read, delete)`,
      per(s.queueMessages) * QUEUE_OPERATIONS_PER_MESSAGE,
      PRICES.queueOperation,
    ],
  ]
  return rows.map(([what, count, price]) => ({ what, count, perMillion: count * price * 1e6 }))
}

/**
 * Each D1 database's time per order and the orders/s at which it is busy all the time, three
 * ways: (a) its measured SQL time alone, (b) that plus a call's cost beyond SQL on local D1 for
 * every call (round trip: a batch is one), (c) the limits page's example of 1 ms per statement.
 * Statements run through `raw()` report no duration; they are counted at the mean of the others.
 */
function d1Ceilings(totals, count, overheadMs) {
  return Object.entries(totals.d1).map(([service, db]) => {
    const timed = db.statements - (db.unreported ?? 0)
    const statements = db.statements / count
    const calls = db.calls / count
    const sqlMs = timed ? (db.sqlMs / timed) * statements : 0
    const allInMs = calls * overheadMs + sqlMs
    return { service, statements, calls, sqlMs, allInMs, fromSql: 1000 / sqlMs, allIn: 1000 / allInMs, atOneMs: 1000 / statements }
  })
}

function renderD1(r) {
  const overheadMs = r.d1Call.overheadMs
  const rows = d1Ceilings(r.totals, r.count, overheadMs).map(
    (db) =>
      `| \`${db.service}\` | ${fixed(db.statements, 1)} | ${fixed(db.calls, 1)} | ${fixed(db.sqlMs, 2)} | ${fixed(db.fromSql)} | ${fixed(db.allInMs, 2)} | ${fixed(db.allIn)} | ${fixed((TARGET_ORDERS_PER_SECOND / db.allIn) * 100)} % | ${fixed(db.atOneMs)} | ${fixed((TARGET_ORDERS_PER_SECOND / db.atOneMs) * 100)} % |`,
  )
  return `### D1: each database's time per order, and its ceiling

Per order, per database (the ${r.count} orders above): statements, calls (round trips: a batch is
one call), and the SQL time D1 reports (\`meta.duration\` summed over the statements' spans;
statements through \`raw()\` report none and are counted at the mean of the others). A D1 database
runs one query at a time, so 1000 ms ÷ its time per order is the orders/s at which it is busy all
the time: (a) from the SQL time alone; (b) local all-in: the SQL time plus ${fixed(overheadMs, 3)} ms
for each call, local D1's cost of a call beyond its SQL with 8 clients keeping it busy (measured
after the run, bench/d1-occupancy.mjs, one round); (c) at the limits page's example of 1 ms per
statement. "Busy" is the share of the database's time that ${TARGET_ORDERS_PER_SECOND} orders/s (1 % of a 10,000
requests/s mix) would take. Local SQLite in memory: a lower bound on production's time per statement.

| database | statements | calls | SQL ms | (a) orders/s from SQL | all-in ms | (b) orders/s all-in | busy at ${TARGET_ORDERS_PER_SECOND}/s (b) | (c) orders/s at 1 ms | busy at ${TARGET_ORDERS_PER_SECOND}/s (c) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`
}

/** `measureCpu` on a traced system of its own that samples traces as production does (wrangler.toml). */
async function measureSampledCpu(counts) {
  const system = await startTracedSystem({ vars: { OTEL_TRACES_SAMPLER_ARG: PRODUCTION_SAMPLING } })
  try {
    return await measureCpu(system, counts)
  } finally {
    await system.stop()
  }
}

/** How the CPU line was measured, and what it holds. */
function renderCpu(r) {
  if (!r.cpu) return 'Workers CPU time: not measured (no /proc on this machine); its line counts 0.'
  const figures = (measured) =>
    Object.entries(measured)
      .map(([name, cpu]) => `${name} ${fixed(cpu.ms, 2)} ms (${cpu.count} requests, ±${fixed(cpu.resolutionMs, 2)} ms)`)
      .join('; ')
  return `Workers CPU time is the workerd process's own CPU time (\`/proc/<pid>/stat\`, 10 ms ticks) while
requests of each kind ran one after another on the same traced system, less its idle rate measured
just before, divided by their number: ${figures(r.cpu)}. Orders were placed one after another and then
waited for (confirmed, and their events consumed). One process runs every Worker and Durable Object
*and* the local stand-ins of D1, KV and Queues, and exports the spans: the line is an upper bound on
the isolates' CPU time that Workers bills. The same on a system with tracing off (no OTLP endpoint,
so no span is exported): ${r.cpuUntraced ? figures(r.cpuUntraced) : 'not measured'}; the difference is what
tracing every request costs. With production's sampling (\`OTEL_TRACES_SAMPLER_ARG\` ${PRODUCTION_SAMPLING}: a tenth
of the traces, and every failed one, exported; every span still recorded):
${r.cpuSampled ? figures(r.cpuSampled) : 'not measured'}.`
}

/** `median ms (min–max)` of many orders' times. */
function spread(values) {
  return `median ${cell(summarize(values))} ms`
}

function render(r) {
  const per = (value) => (value / r.count).toFixed(value % r.count === 0 ? 0 : 1)
  // The stages of the order with the median time to confirmed.
  const sorted = [...r.orders].sort((a, b) => a.toConfirmed - b.toConfirmed)
  const typical = sorted[Math.floor(sorted.length / 2)]
  const stageRows = typical.stages.map((stage) => `| ${stage.label} | ${stage.from.toFixed(1)} | ${stage.ms.toFixed(1)} |`)
  const rows = []
  for (const [service, db] of Object.entries(r.totals.d1))
    rows.push(
      `| D1 \`${service}\` | ${per(db.statements)} statements, ${per(db.rowsRead)} rows read, ${per(db.rowsWritten)} rows written${db.unreported ? ` (${per(db.unreported)} statements via \`raw()\`, rows not reported by D1)` : ''} |`,
    )
  for (const [cls, ops] of Object.entries(r.totals.doStorage))
    rows.push(
      `| ${cls} storage | ${Object.entries(ops)
        .map(([op, n]) => `${op} ${per(n)}`)
        .join(', ')} |`,
    )
  for (const [cls, methods] of Object.entries(r.totals.doRequests))
    rows.push(
      `| ${cls} requests | ${Object.entries(methods)
        .map(([method, n]) => `${method} ${per(n)}`)
        .join(', ')} |`,
    )
  for (const [service, ops] of Object.entries(r.totals.kv))
    rows.push(
      `| KV (${service}) | ${Object.entries(ops)
        .map(([op, n]) => `${op} ${per(n)}`)
        .join(', ')} |`,
    )
  const q = r.totals.queues
  rows.push(
    `| Queues | ${per(q.sent)} messages sent in ${per(q.sendCalls)} sends; ${per(q.delivered)} delivered in ${per(q.batchesDelivered)} batches |`,
  )
  rows.push(
    `| service-binding RPC calls | ${Object.entries(r.totals.rpc)
      .map(([service, n]) => `${service} ${per(n)}`)
      .join(', ')} |`,
  )
  rows.push(
    `| Worker invocations | ${Object.entries(r.totals.invocations)
      .map(
        ([service, kinds]) =>
          `${service} ${Object.entries(kinds)
            .map(([kind, n]) => `${kind} ${per(n)}`)
            .join('+')}`,
      )
      .join(', ')} |`,
  )
  const kinds = r.kinds.map((kind) => ({ ...kind, costs: costRows(kind, r.cpu?.[kind.name]?.ms) }))
  const costTable = kinds[0].costs
    .map(
      (row, index) =>
        `| ${row.what} | ${kinds.map((kind) => kind.costs[index].count.toFixed(2)).join(' | ')} | ${kinds
          .map((kind) => `$${kind.costs[index].perMillion.toFixed(2)}`)
          .join(' | ')} |`,
    )
    .join('\n')
  const totals = kinds.map((kind) => `**$${kind.costs.reduce((sum, row) => sum + row.perMillion, 0).toFixed(2)}**`)
  const header = `| what | ${kinds.map((kind) => `per ${kind.name}`).join(' | ')} | ${kinds.map((kind) => `per 1,000,000 ${kind.name}s`).join(' | ')} |`
  const align = `| --- | ${kinds.map(() => '---:').join(' | ')} | ${kinds.map(() => '---:').join(' | ')} |`
  const kindLines = kinds
    .map(
      (kind) =>
        `- ${kind.name}: ${kind.what}, ${kind.count} counted${
          kind.answers
            ? ` (answers: ${Object.entries(kind.answers)
                .map(([answer, n]) => `${answer} ${n}`)
                .join(', ')})`
            : ''
        }`,
    )
    .join('\n')
  return `## Anatomy of one order

\`npm exec -- node bench/order-anatomy.mjs\`, ${r.date.slice(0, 16).replace('T', ' ')} UTC: the bench system with tracing on
(every Worker and Durable Object exporting to an OTLP receiver in the harness — tracing costs time
of its own), ${r.count} orders of 1 item placed one after the other through the gateway after a
warm-up order; \`confirmed\` is watched in orders' D1 from outside (every 5 ms), so no polling
request is in the trace or the count. Time to confirmed: ${spread(r.orders.map((order) => order.toConfirmed))} (the 202
answered after ${spread(r.orders.map((order) => order.answered))}).

Stages of the median order, from its own trace (ms after the POST was sent; spans nest: the gateway's
request contains orders' place, which contains the saga's start; the steps run after the start
answered, in the coordinator):

| stage | starts at ms | lasts ms |
| --- | ---: | ---: |
${stageRows.join('\n')}

Operations per order (the total over the ${r.count} orders ÷ ${r.count}: the order's request and
everything it caused — saga, RPC calls, outbox relay, queue deliveries to the read model and
notifications — counted from spans; bench/README.md, "Counting operations"):

| what | per order |
| --- | --- |
${rows.join('\n')}

### Cost per 1,000,000 requests

The operations of three kinds of request, each counted from its spans like the order's above:

${kindLines}

Priced with Cloudflare's Workers Paid list prices as published in ${PRICES.date}, beyond
each product's monthly inclusions: Workers $0.30 / M requests, $0.02 / M CPU-ms
(https://developers.cloudflare.com/workers/platform/pricing/); Durable Objects $0.15 / M requests
(RPC calls and alarms included), $12.50 / M GB-s, SQLite storage $0.001 / M rows read and $1.00 / M
rows written (https://developers.cloudflare.com/durable-objects/platform/pricing/); D1 $0.001 / M
rows read, $1.00 / M rows written (https://developers.cloudflare.com/d1/platform/pricing/); KV $0.50 / M
reads, $5.00 / M writes (https://developers.cloudflare.com/kv/platform/pricing/); Queues $0.40 / M
operations, one per 64 KB written, read or deleted (https://developers.cloudflare.com/queues/platform/pricing/).

${header}
${align}
${costTable}
| **total of the counted operations** | ${kinds.map(() => '').join(' | ')} | ${totals.join(' | ')} |

${renderCpu(r)}

Not in the total: Durable Object duration (GB-s), which this harness does not measure per
invocation; D1 rows read by \`raw()\` statements, which D1 does not report; storage calls in a
Durable Object's constructor. Worker invocations count every fetch and queue batch of every Worker,
internal ones included; how requests arriving over a service binding are billed is the Workers
pricing page's to say, so that line is an upper bound.

${renderD1(r)}`
}
