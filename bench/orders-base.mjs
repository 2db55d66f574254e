// Order placement against an earlier design of the orders Worker, in the same run:
//   BENCH_ORDERS_BASE=<git ref> npm exec -- node bench/orders-base.mjs
// builds the orders Worker of that ref (its tree exported with `git archive` into .build, this
// checkout's node_modules beside it, removed at the end) as `orders-base`, behind a gateway of its
// own (`gateway-orders-base`: the same gateway bundle bound to it), beside the system as it is now.
// Both share every other Worker and orders' D1 (the schema is the same); each has its own saga
// coordinators. One client's orders alternate between them order by order; eight clients' batches
// alternate which goes first. Figures: p50 time to `confirmed` with one client (as the client's
// poll saw it, which the target is read on, and as the confirm stamped it), orders/s with 8
// clients, and their ratios round by round. Writes the `orders-base` section of bench/RESULTS.md
// and .build/bench/orders-base.json.
//   BENCH_ORDERS_ROUNDS  rounds (default 7: the ratios move a lot from round to round on a loaded machine)
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { BUILD_ROOT, production, variant } from './harness.mjs'
import { orderPollMs, placeAlternately, placeOrders } from './load.mjs'
import { buildSystem, startSystem } from './order-system.mjs'
import { writeSection } from './sections.mjs'
import { cell, ratios, summarize } from './stats.mjs'

const ROUNDS = Number(process.env.BENCH_ORDERS_ROUNDS ?? 7)
const ONE = { items: 1, pairs: 12 }
const EIGHT = { items: 1, concurrency: 8, count: 32 }
const TARGETS = { latency: 0.5, throughput: 1.5 }

const log = (...args) => console.log(`[orders-base ${new Date().toISOString().slice(11, 19)}]`, ...args)
const ref = process.env.BENCH_ORDERS_BASE
if (!ref) {
  console.error('BENCH_ORDERS_BASE=<git ref> is required: the orders Worker to compare with')
  process.exit(2)
}
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim()
const commit = git('rev-parse', '--verify', `${ref}^{commit}`)
const head = git('rev-parse', 'HEAD')
const source = resolve(BUILD_ROOT, 'orders-base-src')
const loadBefore = loadavg()[0]

/** The tree of `commit` in `source`, resolving packages from this checkout's node_modules. */
function exportTree() {
  rmSync(source, { recursive: true, force: true })
  mkdirSync(source, { recursive: true })
  execFileSync('sh', ['-c', 'git archive "$1" | tar -x -C "$2"', 'sh', commit, source])
  symlinkSync(resolve('node_modules'), join(source, 'node_modules'))
}

/** One batch of eight clients through one variant (`url`): orders/s, and their p50 ms. */
async function measureLoaded(system, url) {
  const eight = await placeOrders(url, system.token, system.products, EIGHT)
  return { ops: eight.ops, p50Loaded: eight.p50, notConfirmed: EIGHT.count - eight.confirmed, errors: eight.errors }
}

log(`building orders at ${ref} (${commit.slice(0, 12)}) and the system at HEAD (${head.slice(0, 12)})`)
exportTree()
const rounds = []
try {
  const { built, vars } = await buildSystem()
  const base = variant(
    production({ name: 'orders-base', config: join(source, 'workers/orders/wrangler.toml') }, { ...vars.orders }),
    'orders-base',
  )
  const gatewayBase = variant(built.gateway, 'gateway-orders-base', { serviceBindings: { ORDERS: { name: 'orders-base' } } })
  const system = await startSystem([...Object.values(built), base, gatewayBase], { directs: ['gateway', 'gateway-orders-base'] })
  try {
    const variants = { now: system.url.gateway, base: system.url['gateway-orders-base'] }
    // A warm-up order each: the first saga coordinator of each class pays for its isolate.
    for (const url of Object.values(variants)) await placeOrders(url, system.token, system.products, { items: 1, concurrency: 1, count: 2 })
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['now', 'base'] : ['base', 'now']
      const single = await placeAlternately(
        Object.fromEntries(order.map((key) => [key, variants[key]])),
        system.token,
        system.products,
        ONE,
      )
      const row = {}
      for (const key of order) {
        const loaded = await measureLoaded(system, variants[key])
        row[key] = {
          ...single[key],
          ...loaded,
          notConfirmed: single[key].notConfirmed + loaded.notConfirmed,
          errors: [...single[key].errors, ...loaded.errors],
        }
        log(
          `round ${round + 1} ${key}: p50 ${row[key].p50.toFixed(0)} ms seen, ${row[key].p50Stamped.toFixed(0)} ms stamped (1 client), ${row[key].ops.toFixed(2)} orders/s (8 clients)`,
        )
      }
      rounds.push(row)
    }
  } finally {
    await system.stop()
  }
} finally {
  rmSync(source, { recursive: true, force: true })
}

/** One figure of both designs over the rounds, and its ratio now ÷ base round by round. */
const figure = (key) => {
  const [now, base] = [rounds.map((row) => row.now[key]), rounds.map((row) => row.base[key])]
  return { now: summarize(now), base: summarize(base), ratio: ratios(now, base) }
}
const result = {
  ref,
  commit,
  head,
  date: new Date().toISOString(),
  cores: cpus().length,
  load: [loadBefore, loadavg()[0]],
  rounds,
  p50: figure('p50'),
  p50Stamped: figure('p50Stamped'),
  ops: figure('ops'),
  p50Loaded: figure('p50Loaded'),
}
writeFileSync(`${BUILD_ROOT}/orders-base.json`, JSON.stringify(result))
writeSection('orders-base', render(result))
log(
  `p50 ratio ${result.p50.ratio.median.toFixed(2)} seen, ${result.p50Stamped.ratio.median.toFixed(2)} stamped, orders/s ratio ${result.ops.ratio.median.toFixed(2)}; written to bench/RESULTS.md`,
)

function render(r) {
  const meets = (ok) => (ok ? '**meets**' : '**misses**')
  const notConfirmed = rounds.reduce((sum, row) => sum + row.now.notConfirmed + row.base.notConfirmed, 0)
  const errors = rounds.flatMap((row) => [...row.now.errors, ...row.base.errors])
  return `## Orders: this design against ${r.ref} (${r.commit.slice(0, 12)}), in the same run

\`BENCH_ORDERS_BASE=${r.ref} npm exec -- node bench/orders-base.mjs\`, ${r.date.slice(0, 16).replace('T', ' ')} UTC, HEAD ${r.head.slice(0, 12)},
${r.cores} cores, load average (1 min) ${r.load.map((value) => value.toFixed(1)).join(' before, ')} after. The orders Worker of ${r.ref} runs beside the current one, each behind its own copy
of the gateway, sharing every other Worker; ${ROUNDS} rounds. Each round: one client places ${ONE.pairs} orders
through each variant, taken in turn order by order (now, base, then base, now), so that load from
elsewhere on the machine and the queue deliveries an order leaves behind fall on both alike; then
${EIGHT.count} orders by ${EIGHT.concurrency} clients through each variant, alternating which goes first (1 item, \`tok_visa\`;
each batch begins once the system is quiet). Ratios are taken round by round (now ÷ base);
absolute figures move with the machine's load.

Time to \`confirmed\` is measured two ways. **Seen**: when the client's poll (every ${orderPollMs(1)} ms with one
client, ${orderPollMs(8)} ms with eight) first answered \`confirmed\`: what a client learns, and what the target is
read on (docs/adr/0076). **Stamped**: the order's \`updated_at\`, which the saga's confirm writes, less
the moment the POST left (one machine, one clock): when the order became confirmed. In this harness
(every Worker in one workerd process) the POST's 202 reaches a lone client only once the saga has
confirmed and done what it does after its confirm, so seen is stamped, plus that work, plus one GET
through the gateway: the gap is part of each design, not the same for both.

| figure | now | ${r.ref} | ratio now ÷ base | target | |
| --- | ---: | ---: | ---: | ---: | --- |
| p50 ms to confirmed, 1 client (seen) | ${cell(r.p50.now)} | ${cell(r.p50.base)} | ${cell(r.p50.ratio, 2)} | ≤ ${TARGETS.latency} | ${meets(r.p50.ratio.median <= TARGETS.latency)} |
| p50 ms to confirmed, 1 client (stamped) | ${cell(r.p50Stamped.now)} | ${cell(r.p50Stamped.base)} | ${cell(r.p50Stamped.ratio, 2)} | | |
| orders/s, 8 clients | ${cell(r.ops.now, 1)} | ${cell(r.ops.base, 1)} | ${cell(r.ops.ratio, 2)} | ≥ ${TARGETS.throughput} | ${meets(r.ops.ratio.median >= TARGETS.throughput)} |
| p50 ms to confirmed, 8 clients (seen) | ${cell(r.p50Loaded.now)} | ${cell(r.p50Loaded.base)} | ${cell(r.p50Loaded.ratio, 2)} | | |

Orders not confirmed: ${notConfirmed}${errors.length ? ` (first error: ${errors[0]})` : ''}.
`
}
