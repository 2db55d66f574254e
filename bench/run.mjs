// `npm run bench`: the benchmark suite (issue 9; bench/README.md). Builds every Worker for
// production, runs the bundles in one Miniflare (workerd) on 127.0.0.1 and measures: the floor
// (a bare Hono Worker), the gateway's overhead, order placement end to end, the resilience
// layer, the cache levels and L1's bound, and per Worker bundle size and start-up. Writes
// bench/RESULTS.md. Never part of `npm test`. Bounded: 5 to 8 minutes on 2 cores.
//   BENCH_ROUNDS       rounds of alternating slices (default 5)
//   BENCH_SLICE_S      seconds per slice (default 2), each after its own 1 s warm-up
//   BENCH_CONNECTIONS  concurrent connections per slice (default 16)
//   BENCH_PERSIST_DIR  where local storage lives during the run (default /dev/shm: bench/harness.mjs)
//   BENCH_DEBUG        set: workerd's error logs go to stderr
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { decodeJwt } from 'jose'
import { developmentVars } from '../scripts/dev-keys.mjs'
import { WORKERS } from '../scripts/workers.mjs'
import {
  BUILD_ROOT,
  PERSIST_ROOT,
  benchProductBody,
  credentialSigner,
  direct,
  expectCall,
  migrate,
  production,
  sleep,
  start,
  variant,
} from './harness.mjs'
import { alternate, placeOrders, slice } from './load.mjs'
import { orderShards } from './order-system.mjs'
import { render } from './report.mjs'
import { keepSections } from './sections.mjs'
import { quantile } from './stats.mjs'
import { profileWorker } from './profile.mjs'
import { bundleSizes, startupTimes } from './per-worker.mjs'
import { cacheUnderOrders, DEFAULTS as CACHE_UNDER_ORDERS } from './cache-under-orders.mjs'
import { l1BoundCheck } from './l1-bound.mjs'
import { peerVariants, peerWorker } from './peer.mjs'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const SLICE_S = Number(process.env.BENCH_SLICE_S ?? 2)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16)
const WARMUP_S = 1
const ORDER_ROUNDS = 3
const ORDER_ITEMS = [1, 5, 20]
// Per round: each concurrency level places this many orders.
const ORDER_CONCURRENCY = [
  { concurrency: 1, count: 3 },
  { concurrency: 8, count: 16 },
]
const L1_BOUND = 20
// Lets the events of the seeding writes drain before anything is measured (queue batch wait 1 s, stamp check 1 s).
const SETTLE_MS = 3_000
const PROFILE_S = 3
const PROFILE_TIMEOUT_MS = 120_000
const STARTUP_ROUNDS = 3
const KEY_SPACE = 5 * L1_BOUND
// A bytes bound far below the key space's size (a product's envelope is about 330 bytes).
const L1_MAX_BYTES = 4096
const COMMAND = 'npm run bench'
const HELLO = { name: 'hello', config: 'bench/hello/wrangler.toml' }
const ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }
// The benchmark is one client: the limiter must count, never refuse. A million a minute is far
// above what one client sends here, and keeps GCRA's interval (60 µs) well above the resolution
// of an epoch time in ms as a double (about 0.25 µs). Leases are capped at 64 units either way.
const RATE_LIMITS = { RATE_LIMIT_AUTH: '1000000/60', RATE_LIMIT_USER: '1000000/60', RATE_LIMIT_ANONYMOUS: '1000000/60' }
const TARGETS = { authenticated: 0.6, publicReadVsFloor: 0.5 }

const LAG_CONCURRENCY = 8

/**
 * The read model's lag for the orders placed in `windows`: per order, when its latest snapshot
 * reached `order_views` (applied_at) minus when the aggregate took that version (updated_at).
 * Waits (bounded) for views still behind their aggregate, so a lagging one is counted, not missed.
 */
async function readModelLag(shards, windows) {
  const behindSql =
    'SELECT count(*) AS n FROM orders o LEFT JOIN order_views v ON v.order_id = o.id WHERE v.order_id IS NULL OR v.version < o.version'
  const behind = async () => (await Promise.all(shards.map((db) => db.prepare(behindSql).first()))).reduce((sum, row) => sum + row.n, 0)
  for (let waited = 0; waited < 30_000 && (await behind()) > 0; waited += 250) await sleep(250)
  const lags = []
  for (const db of shards) {
    for (const [from, to] of windows) {
      const rows = await db
        .prepare('SELECT applied_at, updated_at FROM order_views WHERE created_at >= ?1 AND created_at <= ?2')
        .bind(from, to)
        .all()
      for (const row of rows.results) lags.push(Date.parse(row.applied_at) - Date.parse(row.updated_at))
    }
  }
  const sorted = lags.sort((a, b) => a - b)
  return {
    orders: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? null,
    stillBehind: await behind(),
  }
}

/** `X-Cache-L1: entries=20; bytes=6680; max_entries=20; max_bytes=8388608` as numbers (null without the header). */
function parseUsage(header) {
  if (!header) return null
  return Object.fromEntries(
    header
      .split(';')
      .map((pair) => pair.trim().split('='))
      .map(([name, value]) => [name, Number(value)]),
  )
}

const log = (...args) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args)
const version = (pkg) => JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, 'utf8')).version
const began = Date.now()

// --- Build: every Worker's production bundle, and its size --------------------------------
const vars = await developmentVars()
log('building the production bundles (wrangler deploy --dry-run)')
const built = Object.fromEntries(WORKERS.map((worker) => [worker.name, production(worker, { ...vars[worker.name] })]))
const hello = production(HELLO)
const sizes = bundleSizes([HELLO, ...WORKERS].map(({ name }) => ({ name, dir: `${BUILD_ROOT}/${name}` })))

// --- The system, with its variants, in one workerd -----------------------------------------
// The production request log: a sampled line per success (LOG_SAMPLE_RATE, docs/adr/0052).
const gateway = variant(built.gateway, 'gateway', { vars: { ...RATE_LIMITS, LOG_SAMPLE_RATE: '0.05' } })
const workers = [
  direct(hello),
  // The floor writing the gateway's request log line: what one structured line costs here.
  direct(variant(hello, 'hello-log', { vars: { REQUEST_LOG: 'on' } })),
  direct(gateway),
  // The gateway's own cache off: every product read goes to inventory (its L1 hit; figures 2, 4, 5).
  // The variants of figures 4 and 5 keep it off too, so they measure the path they name.
  direct(variant(gateway, 'gateway-nocache', { vars: { GATEWAY_CACHE: 'off' } })),
  // The resilience layer and the rate limiter off: the baseline of figure 4.
  direct(variant(gateway, 'gateway-bare', { vars: { GATEWAY_CACHE: 'off', RESILIENCE: 'off', RATE_LIMITING: 'off' } })),
  // The rate limiter alone off: splits figure 4 between the limiter and the resilience layer.
  direct(variant(gateway, 'gateway-nolimiter', { vars: { GATEWAY_CACHE: 'off', RATE_LIMITING: 'off' } })),
  // The same gateway in front of inventory copies that read through other cache levels (figure 5).
  direct(variant(gateway, 'gateway-l2', { vars: { GATEWAY_CACHE: 'off' }, serviceBindings: { INVENTORY: { name: 'inventory-l2' } } })),
  direct(
    variant(gateway, 'gateway-source', { vars: { GATEWAY_CACHE: 'off' }, serviceBindings: { INVENTORY: { name: 'inventory-source' } } }),
  ),
  // The peer: Hono's stock middleware in front of the same services (bench/peer.mjs).
  direct(peerWorker(vars.gateway.GATEWAY_PRIVATE_KEY)),
  direct(built.users),
  direct(built.inventory),
  variant(built.inventory, 'inventory-l2', { vars: { CACHE_LEVELS: 'l2' } }),
  variant(built.inventory, 'inventory-source', { vars: { CACHE_LEVELS: 'none' } }),
  direct(variant(built.inventory, 'inventory-bounded', { vars: { CACHE_L1_MAX_ENTRIES: String(L1_BOUND) } })),
  direct(variant(built.inventory, 'inventory-bytes', { vars: { CACHE_L1_MAX_BYTES: String(L1_MAX_BYTES) } })),
  built.payments,
  built.notifications,
  built.orders,
]
log('starting Miniflare')
const system = await start(workers, { inspector: true })
const results = {}
try {
  for (const { name, database } of WORKERS) if (database) await migrate(system.mf, name)
  const url = Object.fromEntries(
    await Promise.all(
      [
        'hello',
        'hello-log',
        'gateway',
        'gateway-nocache',
        'gateway-bare',
        'gateway-nolimiter',
        'gateway-l2',
        'gateway-source',
        'peer',
        'users',
        'inventory',
        'inventory-bounded',
        'inventory-bytes',
      ].map(async (name) => [name, await system.url(name)]),
    ),
  )
  const sign = credentialSigner(vars.gateway.GATEWAY_PRIVATE_KEY)

  // --- Data: an admin, a customer, products with ample stock --------------------------------
  log('seeding: accounts and products')
  const admin = (await expectCall(200, url.gateway, 'POST', '/api/v1/auth/login', { body: ADMIN })).body.access_token
  const customer = {
    email: `bench-${crypto.randomUUID().slice(0, 8)}@example.com`,
    password: 'bench-password-long-enough',
    name: 'Bench Customer',
  }
  await expectCall(201, url.gateway, 'POST', '/api/v1/auth/register', { body: customer })
  const token = (
    await expectCall(200, url.gateway, 'POST', '/api/v1/auth/login', { body: { email: customer.email, password: customer.password } })
  ).body.access_token
  const claims = decodeJwt(token)
  const principal = { id: claims.sub, roles: claims.roles }
  const adminPrincipal = (({ sub, roles }) => ({ id: sub, roles }))(decodeJwt(admin))
  // Through the gateway, or straight to inventory (the key space of figure 5b: many products, fast).
  const createProducts = async (count, { concurrency = 8, straight = false } = {}) => {
    const ids = []
    let next = 0
    const worker = async () => {
      while (next < count) {
        next += 1
        const body = benchProductBody()
        const created = straight
          ? await expectCall(201, url.inventory, 'POST', '/api/v1/products', {
              body,
              headers: { 'x-gateway-credential': await sign('inventory', adminPrincipal) },
            })
          : await expectCall(201, url.gateway, 'POST', '/api/v1/products', { token: admin, body })
        ids.push(created.body.id)
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    return ids
  }
  const [product] = await createProducts(1, { concurrency: 1 })
  const orderProducts = await createProducts(Math.max(...ORDER_ITEMS))
  const productPath = `/api/v1/products/${product}`
  // Creating products bumps the list's cache stamp and sends events: let those land before
  // anything is measured.
  await sleep(SETTLE_MS)

  // --- Each cache variant answers from the level it claims (X-Cache) ------------------------
  const levels = {}
  for (const [key, base, expected, header] of [
    ['gateway', url.gateway, 'hit', 'x-cache-gateway'],
    ['l1', url['gateway-nocache'], 'L1 hit', 'x-cache'],
    ['l2', url['gateway-l2'], 'L2 hit', 'x-cache'],
    ['source', url['gateway-source'], 'bypass', 'x-cache'],
  ]) {
    await expectCall(200, base, 'GET', productPath)
    const seen = (await expectCall(200, base, 'GET', productPath)).headers.get(header)
    levels[key] = { expected, seen }
    if (seen !== expected) log(`warning: the ${key} variant answered X-Cache ${seen}, expected ${expected}`)
  }

  // --- Figures 1, 2, 4, 5: alternating slices of every HTTP variant -------------------------
  const bearer = { authorization: `Bearer ${token}` }
  const variants = [
    { key: 'floor', prepare: async () => ({ url: `${url.hello}/` }) },
    { key: 'floor-log', prepare: async () => ({ url: `${url['hello-log']}/` }) },
    { key: 'product-gateway', prepare: async () => ({ url: `${url.gateway}${productPath}` }) },
    { key: 'product-l1', prepare: async () => ({ url: `${url['gateway-nocache']}${productPath}` }) },
    {
      key: 'product-direct',
      prepare: async () => ({ url: `${url.inventory}${productPath}`, headers: { 'x-gateway-credential': await sign('inventory', null) } }),
    },
    { key: 'product-bare', prepare: async () => ({ url: `${url['gateway-bare']}${productPath}` }) },
    { key: 'product-nolimiter', prepare: async () => ({ url: `${url['gateway-nolimiter']}${productPath}` }) },
    { key: 'product-l2', prepare: async () => ({ url: `${url['gateway-l2']}${productPath}` }) },
    { key: 'product-source', prepare: async () => ({ url: `${url['gateway-source']}${productPath}` }) },
    { key: 'me-gateway', prepare: async () => ({ url: `${url.gateway}/api/v1/users/me`, headers: bearer }) },
    {
      key: 'me-direct',
      prepare: async () => ({ url: `${url.users}/api/v1/users/me`, headers: { 'x-gateway-credential': await sign('users', principal) } }),
    },
    // The same gateway with its cache off, as the other users/me variants of figure 4 run: like with like.
    { key: 'me-nocache', prepare: async () => ({ url: `${url['gateway-nocache']}/api/v1/users/me`, headers: bearer }) },
    { key: 'me-bare', prepare: async () => ({ url: `${url['gateway-bare']}/api/v1/users/me`, headers: bearer }) },
    { key: 'me-nolimiter', prepare: async () => ({ url: `${url['gateway-nolimiter']}/api/v1/users/me`, headers: bearer }) },
    ...peerVariants({ peerUrl: url.peer, productPath, bearer }),
  ]
  log(`HTTP variants: ${variants.length} × ${ROUNDS} rounds × ${SLICE_S} s, ${CONNECTIONS} connections`)
  results.slices = await alternate(variants, {
    rounds: ROUNDS,
    seconds: SLICE_S,
    connections: CONNECTIONS,
    warmupSeconds: WARMUP_S,
    onSlice: (key, round, row) =>
      log(
        `round ${round + 1} ${key}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms${row.non2xx || row.errors ? `, non-2xx ${row.non2xx}, errors ${row.errors}` : ''}`,
      ),
  })
  results.levels = levels

  // --- Figure 3: order placement end to end ------------------------------------------------
  results.orders = {}
  const loadedWindows = []
  for (let round = 0; round < ORDER_ROUNDS; round++) {
    for (const items of ORDER_ITEMS) {
      for (const { concurrency, count } of ORDER_CONCURRENCY) {
        const key = `${items}x${concurrency}`
        const from = new Date().toISOString()
        const batch = await placeOrders(url.gateway, token, orderProducts, { items, concurrency, count })
        if (concurrency === LAG_CONCURRENCY) loadedWindows.push([from, new Date().toISOString()])
        ;(results.orders[key] ??= { items, concurrency, count, rounds: [] }).rounds.push(batch)
        log(
          `orders round ${round + 1} ${items} items × ${concurrency} clients: ${batch.ops.toFixed(2)} orders/s, p50 ${batch.p50.toFixed(0)} ms`,
        )
      }
    }
  }

  // --- Figure 3b: how far the read model trails its aggregate under that load ---------------
  results.readModelLag = await readModelLag(await orderShards(system.mf), loadedWindows)
  log(
    `read-model lag at ${LAG_CONCURRENCY} clients: p50 ${results.readModelLag.p50} ms, p99 ${results.readModelLag.p99} ms, max ${results.readModelLag.max} ms`,
  )

  // --- Figure 5b: L1 stays within its bound under a larger key space ------------------------
  log(`L1 bound: ${KEY_SPACE} products read round-robin through an L1 of ${L1_BOUND} entries`)
  const keySpace = await createProducts(KEY_SPACE, { straight: true })
  const boundedRead = async (id) =>
    expectCall(200, url['inventory-bounded'], 'GET', `/api/v1/products/${id}`, {
      headers: { 'x-gateway-credential': await sign('inventory', null) },
    })
  // Only with the product generation still (bench/l1-bound.mjs): a bump during the reads would
  // measure the invalidation, not the bound.
  const boundCheck = await l1BoundCheck({
    db: await system.mf.getD1Database('DB', 'inventory'),
    read: boundedRead,
    keySpace,
    bound: L1_BOUND,
    quietMs: SETTLE_MS,
  })
  const usage = (response) => parseUsage(response.headers.get('x-cache-l1'))
  results.bound = { ...boundCheck, usage: usage(await boundedRead(keySpace[0])) }
  log(
    `L1 bound: ${boundCheck.recentHits}/${L1_BOUND} recent hits, ${boundCheck.olderHits}/${L1_BOUND} older; ${boundCheck.rounds.length} attempt(s), generation ${boundCheck.rounds.map((round) => `${round.generationBefore}→${round.generationAfter}`).join(', ')}`,
  )
  // The bytes bound: the same key space through an L1 bounded by bytes only.
  const bytesRead = async (id) =>
    expectCall(200, url['inventory-bytes'], 'GET', `/api/v1/products/${id}`, {
      headers: { 'x-gateway-credential': await sign('inventory', null) },
    })
  let last
  for (let pass = 0; pass < 2; pass++) for (const id of keySpace) last = await bytesRead(id)
  results.bytesBound = { usage: usage(last), maxBytes: L1_MAX_BYTES }

  // --- Figure 5c: product reads while orders are placed (bench/cache-under-orders.mjs) ------
  const { seconds, readers, orderers } = CACHE_UNDER_ORDERS
  log(`cache under orders: ${orderers} clients ordering while ${readers} read ${keySpace.length} products, ${seconds} s`)
  results.cacheUnderOrders = await cacheUnderOrders({
    gateway: url.gateway,
    inventory: url.inventory,
    token,
    sign,
    products: keySpace,
    seconds,
    readers,
    orderers,
  })
  log(`cache under orders: hit ratio ${(results.cacheUnderOrders.hitRatio * 100).toFixed(1)} % of ${results.cacheUnderOrders.reads} reads`)

  // --- Where the time goes: CPU profile of the gateway on the authenticated path ------------
  log('profiling the gateway through the workerd inspector')
  results.profiles = {}
  for (const [key, target] of [
    ['me', { url: `${url.gateway}/api/v1/users/me`, headers: bearer }],
    ['product', { url: `${url.gateway}${productPath}` }],
  ]) {
    // Bounded: on a loaded machine the inspector has not always answered (the report says so).
    results.profiles[key] = await Promise.race([
      profileWorker(system, 'gateway', `${BUILD_ROOT}/gateway/index.js`, () =>
        slice(target, { seconds: PROFILE_S, connections: CONNECTIONS }),
      ),
      sleep(PROFILE_TIMEOUT_MS).then(() => null),
    ])
    if (!results.profiles[key]) log(`warning: no ${key} profile: the inspector did not answer within ${PROFILE_TIMEOUT_MS / 1000} s`)
  }
} finally {
  await system.stop()
}

// --- Figure 6: start-up per Worker, each in a fresh Miniflare ------------------------------
log('start-up: a fresh Miniflare per Worker')
results.startup = await startupTimes(
  WORKERS.map(({ name }) => ({ key: name, options: built[name] })),
  hello,
  { rounds: STARTUP_ROUNDS },
)

// --- The report --------------------------------------------------------------------------
const input = {
  command: COMMAND,
  settings: {
    PERSIST_ROOT,
    ROUNDS,
    SLICE_S,
    CONNECTIONS,
    WARMUP_S,
    PROFILE_S,
    STARTUP_ROUNDS,
    ORDER_ROUNDS,
    ORDER_ITEMS,
    ORDER_CONCURRENCY,
    L1_BOUND,
    L1_MAX_BYTES,
    KEY_SPACE,
    TARGETS,
  },
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    workerd: version('workerd'),
    miniflare: version('miniflare'),
    wrangler: version('wrangler'),
    autocannon: version('autocannon'),
  },
  date: new Date().toISOString(),
  durationS: (Date.now() - began) / 1000,
  results,
  sizes,
}
// The raw figures too (not committed): the report can be rendered again from them.
writeFileSync(`${BUILD_ROOT}/results.json`, JSON.stringify(input))
// The sections the order benchmarks wrote on their own (bench/sections.mjs) stay.
const previousReport = existsSync(new URL('./RESULTS.md', import.meta.url))
  ? readFileSync(new URL('./RESULTS.md', import.meta.url), 'utf8')
  : ''
writeFileSync(new URL('./RESULTS.md', import.meta.url), keepSections(previousReport, render(input)))
log(`done in ${((Date.now() - began) / 1000).toFixed(0)} s; written to bench/RESULTS.md`)
