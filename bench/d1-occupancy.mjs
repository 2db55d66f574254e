// How long local D1 is busy per call and per statement: `npm run bench:d1` (about 30 s). One D1
// database is single-threaded (docs/capacity.md), so what one order costs it is its calls
// (round trips: a batch is one) times the cost of a call, plus the SQL time of its statements.
// A probe Worker in one Miniflare (bench/harness.mjs), on inventory's schema (its migrations),
// runs the system's statement shapes against its D1 binding; the bench times them from outside
// and sums the `meta.duration` D1 reports for each statement.
//
// `meta.duration` is whole milliseconds locally (0 or 1 for these statements), taken with a clock
// that advances while the statement runs, so its mean over many statements is an estimate of
// the time per statement; the heavy row checks that the sum tracks wall time where statements
// take milliseconds. Local SQLite in memory is a lower bound on production's time per statement
// (production adds durable storage and a network hop): docs/capacity.md says what to plan with.
//   D1_ROUNDS   rounds of every row (default 3; figures are medians over rounds)
//   D1_CALLS    calls per row and round (default 1000; batches and the heavy row run fewer)
// bench/order-anatomy.mjs runs `measureD1Occupancy` too, for its "all-in" ceiling.
import { mkdirSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { BUILD_ROOT, migrate, start } from './harness.mjs'
import { writeSection } from './sections.mjs'
import { fixed, median } from './stats.mjs'

const SERVICE = 'inventory'
const CATALOG = 1000
const CLIENTS = 8

// The probe: `POST /seed` fills the catalog; `POST /run {shape, batch, calls}` makes `calls`
// calls one after another (`batch` 0: one statement a call; else a batch of that many) and
// answers the statements run and the sum of their `meta.duration`.
const PROBE = `
const ENVELOPE = JSON.stringify({ type: 'stock.reserved', data: { items: Array.from({ length: 4 }, (_, i) => ({ product_id: 'p' + i, quantity: 1 })) }, pad: 'x'.repeat(300) })
const now = () => new Date().toISOString()
const product = (i) => 'p' + (i % ${CATALOG})
const SHAPES = {
  trivial: (db) => db.prepare('SELECT 1 AS one'),
  'point read': (db, i) => db.prepare('SELECT id, sku, name, price_cents, currency, version FROM products WHERE id = ?1').bind(product(i)),
  insert: (db) => db.prepare("INSERT INTO outbox (id, type, envelope, created_at) VALUES (?1, 'stock.reserved', ?2, ?3)").bind(crypto.randomUUID(), ENVELOPE, now()),
  'conditional update': (db, i) =>
    db.prepare('UPDATE stock SET reserved = reserved + 1, version = version + 1, updated_at = ?2 WHERE product_id = ?1 AND reserved + 1 <= on_hand').bind(product(i), now()),
  heavy: (db) => db.prepare('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT count(*) AS c FROM n'),
}
const MIX = ['conditional update', 'insert', 'point read']
const statementOf = (db, shape, i) => SHAPES[shape === 'mix' ? MIX[i % MIX.length] : shape](db, i)
async function metas(db, shape, batch, i) {
  if (batch === 0) return [(await statementOf(db, shape, i).all()).meta]
  const statements = Array.from({ length: batch }, (_, k) => statementOf(db, shape, i * batch + k))
  return (await db.batch(statements)).map((result) => result.meta)
}
async function seed(db) {
  for (let from = 0; from < ${CATALOG}; from += 50) {
    const rows = Array.from({ length: 50 }, (_, k) => product(from + k))
    await db.batch(rows.flatMap((id) => [
      db.prepare("INSERT INTO products (id, sku, name, price_cents, currency, created_at, updated_at) VALUES (?1, ?1, ?1, 1250, 'EUR', ?2, ?2)").bind(id, now()),
      db.prepare('INSERT INTO stock (product_id, on_hand, updated_at) VALUES (?1, 1000000000, ?2)').bind(id, now()),
    ]))
  }
}
export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === '/seed') return Response.json(await seed(env.DB))
    const { shape, batch, calls, offset } = await request.json()
    let statements = 0
    let sqlMs = 0
    for (let i = 0; i < calls; i++)
      for (const meta of await metas(env.DB, shape, batch, offset + i)) {
        statements += 1
        sqlMs += meta.duration
      }
    return Response.json({ statements, sqlMs })
  },
}
`

/** The rows measured: the system's statement shapes, one at a time and in batches, by one client and by several. */
const ROWS = [
  { shape: 'trivial', batch: 0, clients: 1, what: '`SELECT 1`: the round trip alone' },
  { shape: 'trivial', batch: 0, clients: CLIENTS, what: '`SELECT 1`, several clients at once' },
  { shape: 'point read', batch: 0, clients: 1, what: 'a product by primary key' },
  { shape: 'point read', batch: 0, clients: CLIENTS, what: 'a product by primary key, several clients' },
  { shape: 'insert', batch: 0, clients: 1, what: 'an outbox row (indexed insert, about 0.5 KB)' },
  { shape: 'conditional update', batch: 0, clients: 1, what: "a reservation's stock update (primary key, guarded)" },
  { shape: 'mix', batch: 7, clients: 1, what: 'a batch of 7 (update, insert, read in turn), like reserve' },
  { shape: 'mix', batch: 7, clients: CLIENTS, what: 'the same batch of 7, several clients' },
  { shape: 'heavy', batch: 0, clients: 1, what: 'a 20,000-row recursive count: does summed `meta.duration` track wall time?' },
]

/** Calls of a row per round: batches and the heavy statement take longer each. */
const callsOf = (row, calls) => (row.shape === 'heavy' ? Math.ceil(calls / 5) : row.batch ? Math.ceil(calls / 3) : calls)

/** One row once: `clients` concurrent invocations share the calls; wall time from outside. */
async function runRow(mf, row, calls) {
  const each = Math.ceil(calls / row.clients)
  const started = performance.now()
  const answers = await Promise.all(
    Array.from({ length: row.clients }, async (_, client) => {
      const body = JSON.stringify({ shape: row.shape, batch: row.batch, calls: each, offset: client * each })
      const response = await mf.dispatchFetch('http://probe/run', { method: 'POST', body })
      return response.json()
    }),
  )
  const wallMs = performance.now() - started
  const sum = (key) => answers.reduce((total, answer) => total + answer[key], 0)
  return { calls: each * row.clients, statements: sum('statements'), sqlMs: sum('sqlMs'), wallMs }
}

/** Per call and per statement figures of one run of a row. */
const figures = (run) => ({
  calls: run.calls,
  callMs: run.wallMs / run.calls,
  sqlPerStatementMs: run.sqlMs / run.statements,
  overheadMs: (run.wallMs - run.sqlMs) / run.calls,
  sqlShare: run.sqlMs / run.wallMs,
})

/**
 * Measures every row `rounds` times in a probe Worker of its own and answers the rows with their
 * medians, and `overheadMs`: what a call costs the database beyond its SQL when several clients
 * keep it busy (point reads), the per-call figure of the "all-in" ceiling.
 */
export async function measureD1Occupancy({ rounds = 3, calls = 1000, log = () => {} } = {}) {
  const system = await start([{ name: SERVICE, compatibilityDate: '2025-01-01', modules: true, script: PROBE, d1Databases: ['DB'] }])
  try {
    await migrate(system.mf, SERVICE)
    await system.mf.dispatchFetch('http://probe/seed', { method: 'POST' })
    for (const row of ROWS) await runRow(system.mf, row, 50) // warm-up
    const runs = ROWS.map(() => [])
    for (let round = 0; round < rounds; round++) {
      log(`round ${round + 1} of ${rounds}`)
      for (const [index, row] of ROWS.entries()) runs[index].push(figures(await runRow(system.mf, row, callsOf(row, calls))))
    }
    const rows = ROWS.map((row, index) => {
      const of = (key) => median(runs[index].map((run) => run[key]))
      return {
        ...row,
        calls: of('calls'),
        callMs: of('callMs'),
        sqlPerStatementMs: of('sqlPerStatementMs'),
        overheadMs: of('overheadMs'),
        sqlShare: of('sqlShare'),
      }
    })
    const saturated = rows.find((row) => row.shape === 'point read' && row.clients === CLIENTS)
    return { date: new Date().toISOString(), rounds, rows, overheadMs: saturated.overheadMs }
  } finally {
    await system.stop()
  }
}

/** The `d1-occupancy` section of bench/RESULTS.md. */
export function renderD1Occupancy(result) {
  const table = result.rows
    .map(
      (row) =>
        `| ${row.what} | ${row.batch || 1} | ${row.clients} | ${row.calls} | ${fixed(row.callMs, 3)} | ${fixed(1000 / row.callMs)} | ${fixed(row.sqlPerStatementMs, 3)} | ${fixed(row.overheadMs, 3)} | ${fixed(row.sqlShare * 100)} % |`,
    )
    .join('\n')
  const heavy = result.rows.find((row) => row.shape === 'heavy')
  const roundTrip = result.rows.find((row) => row.shape === 'trivial' && row.clients === 1).callMs
  return `## Local D1: time per call and per statement

\`npm run bench:d1\`, ${result.date.slice(0, 16).replace('T', ' ')} UTC: a probe Worker on inventory's schema
(1,000 products with stock) in one Miniflare, its D1 in \`BENCH_PERSIST_DIR\` (memory by default);
medians over ${result.rounds} rounds. "Per call" is wall time from outside ÷ calls (a batch is one call);
"SQL" is the mean of D1's own \`meta.duration\` per statement (whole milliseconds locally, so a mean
over many); "beyond SQL" is per call wall time minus its statements' SQL time: the round trip,
(de)serialisation and the D1 object's own work. With several clients the database is kept busy,
so its calls/s is local D1's throughput for that shape.

| statement | statements per call | clients | calls | per call ms | calls/s | SQL ms per statement | beyond SQL ms per call | SQL share of wall |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${table}

Does summed \`meta.duration\` track wall time? The heavy statement reports ${fixed(heavy.sqlPerStatementMs, 2)} ms of SQL a call
against ${fixed(heavy.callMs - roundTrip, 2)} ms of wall time beyond the bare round trip (${fixed(heavy.callMs, 2)} − ${fixed(roundTrip, 2)} ms):
${fixed((heavy.sqlPerStatementMs / (heavy.callMs - roundTrip)) * 100)} %. D1 times SQLite's execution of the statement only, not the object's work around it,
so its sum may read low by the rest; the "beyond SQL" column holds that rest. The order anatomy's
"all-in" ceiling uses ${fixed(result.overheadMs, 3)} ms beyond SQL per call (a product by primary key, ${CLIENTS} clients).
`
}

// --- Alone: \`npm run bench:d1\` ---------------------------------------------------------------
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const log = (...args) => console.log(`[d1-occupancy ${new Date().toISOString().slice(11, 19)}]`, ...args)
  const result = await measureD1Occupancy({
    rounds: Number(process.env.D1_ROUNDS ?? 3),
    calls: Number(process.env.D1_CALLS ?? 1000),
    log,
  })
  mkdirSync(BUILD_ROOT, { recursive: true })
  writeFileSync(`${BUILD_ROOT}/d1-occupancy.json`, JSON.stringify(result))
  writeSection('d1-occupancy', renderD1Occupancy(result))
  for (const row of result.rows)
    log(
      `${row.shape} ×${row.batch || 1}, ${row.clients} clients: ${fixed(row.callMs, 3)} ms per call, SQL ${fixed(row.sqlPerStatementMs, 3)} ms per statement`,
    )
  log('written to bench/RESULTS.md')
}
