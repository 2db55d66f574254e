// `npm run bench:capacity`: how many operations each shared hot spot receives per gateway
// request (issue 19, docs/capacity.md). Runs the production bundles in one Miniflare
// (bench/harness.mjs) with tracing on, collects every span over OTLP on 127.0.0.1, and counts
// per phase of N requests: RateLimiter and CircuitBreaker calls, D1 statements per database,
// KV operations. Counts, not speed: the figures do not depend on how loaded the machine is,
// except the breaker's, which is per second of traffic (reported as such). Bounded: about 1–2 min.
//   CAPACITY_REQUESTS  requests per phase (default 400)
//   CAPACITY_ORDERS    orders placed in the order phase (default 20)
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { developmentVars } from '../scripts/dev-keys.mjs'
import { WORKERS } from '../scripts/workers.mjs'
import { BUILD_ROOT, direct, expectCall, call, migrate, production, sleep, start, variant } from './harness.mjs'
import { placeOrders } from './load.mjs'

const N = Number(process.env.CAPACITY_REQUESTS ?? 400)
const ORDERS = Number(process.env.CAPACITY_ORDERS ?? 20)
const CONCURRENCY = 8
const ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }
// Limits far above what the bench sends (it is one client), except where a phase wants refusals.
const RAISED = { RATE_LIMIT_AUTH: '1000000/60', RATE_LIMIT_USER: '1000000/60', RATE_LIMIT_ANONYMOUS: '1000000/60' }
const log = (...args) => console.log(`[capacity ${new Date().toISOString().slice(11, 19)}]`, ...args)

// --- An OTLP/HTTP JSON receiver: every span's worker and name ---------------------------------
const spans = []
const receiver = createServer((request, response) => {
  const chunks = []
  request.on('data', (chunk) => chunks.push(chunk))
  request.on('end', () => {
    try {
      for (const resource of JSON.parse(Buffer.concat(chunks).toString('utf8')).resourceSpans ?? []) {
        const service = resource.resource?.attributes?.find((a) => a.key === 'service.name')?.value?.stringValue ?? '?'
        for (const scope of resource.scopeSpans ?? []) for (const span of scope.spans ?? []) spans.push({ service, name: span.name, span })
      }
    } catch {
      // not OTLP JSON: ignored
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
  })
})
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve))
const OTEL = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.address().port}`, OTEL_TRACES_SAMPLER_ARG: '1' }

/** Waits until no span has arrived for `quietMs` (exports run after each response), then takes them. */
async function drain(quietMs = 1_500) {
  let seen = -1
  while (seen !== spans.length) {
    seen = spans.length
    await sleep(quietMs)
  }
  return spans.splice(0)
}

/** What a span counts as: a hot-spot operation, or null. */
function classify({ service, name }) {
  if (name.startsWith('RateLimiter/')) return 'RateLimiter call'
  if (name.startsWith('CircuitBreaker/')) return `CircuitBreaker call (${name.slice('CircuitBreaker/'.length)})`
  if (/^DB (first|all|run|raw)$/.test(name) || name === 'DB batch > query') return `D1 statement: ${service}`
  if (/^KV /.test(name)) return `KV ${name.split(' ').at(-1)}: ${service}`
  if (/^send [A-Z_]+$/.test(name)) return `queue send: ${name.slice('send '.length)}`
  return null
}

function tally(taken, requests) {
  if (process.env.CAPACITY_DEBUG) {
    const names = {}
    for (const s of taken) names[`${s.service} ${s.name}`] = (names[`${s.service} ${s.name}`] ?? 0) + 1
    console.log(names)
  }
  const counts = {}
  for (const span of taken) {
    const key = classify(span)
    if (key) counts[key] = (counts[key] ?? 0) + 1
  }
  return Object.fromEntries(
    Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, count]) => [key, { count, perRequest: count / requests }]),
  )
}

/** `count` requests, `CONCURRENCY` at a time; answers the statuses seen and the seconds taken. */
async function requests(count, send) {
  const statuses = {}
  let next = 0
  const began = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next += 1
        const { status } = await send()
        statuses[status] = (statuses[status] ?? 0) + 1
      }
    }),
  )
  return { statuses, seconds: (performance.now() - began) / 1000 }
}

// --- The system ------------------------------------------------------------------------------
const vars = await developmentVars()
log('building the production bundles')
// The harness builds with tracing off; each Worker runs here as a copy under its own name with it on.
const built = Object.fromEntries(WORKERS.map((w) => [w.name, variant(production(w, { ...vars[w.name] }), w.name, { vars: OTEL })]))
const gateway = variant(built.gateway, 'gateway', { vars: RAISED })
const system = await start([
  direct(gateway),
  direct(variant(gateway, 'gateway-nocache', { vars: { GATEWAY_CACHE: 'off' } })),
  // Production limits: one client IP far over its anonymous quota (a hot key).
  direct(variant(built.gateway, 'gateway-strict', { vars: { GATEWAY_CACHE: 'off' } })),
  built.users,
  built.inventory,
  built.payments,
  built.notifications,
  built.orders,
])
const phases = []
try {
  for (const { name, database } of WORKERS) if (database) await migrate(system.mf, name)
  const url = {
    gateway: await system.url('gateway'),
    nocache: await system.url('gateway-nocache'),
    strict: await system.url('gateway-strict'),
  }
  const admin = (await expectCall(200, url.gateway, 'POST', '/api/v1/auth/login', { body: ADMIN })).body.access_token
  const customer = {
    email: `capacity-${crypto.randomUUID().slice(0, 8)}@example.com`,
    password: 'capacity-password-long',
    name: 'Capacity',
  }
  await expectCall(201, url.gateway, 'POST', '/api/v1/auth/register', { body: customer })
  const token = (
    await expectCall(200, url.gateway, 'POST', '/api/v1/auth/login', { body: { email: customer.email, password: customer.password } })
  ).body.access_token
  const products = []
  for (let i = 0; i < 3; i++) {
    const sku = `CAP-${crypto.randomUUID().slice(0, 12)}`
    const body = { sku, name: `Capacity ${sku}`, price_cents: 990, currency: 'EUR', initial_stock: 1_000_000 }
    products.push((await expectCall(201, url.gateway, 'POST', '/api/v1/products', { token: admin, body })).body.id)
  }
  const path = `/api/v1/products/${products[0]}`
  await sleep(3_000)
  // Warm every isolate's copies (breakers, generations, L1) before counting.
  for (const base of [url.gateway, url.nocache, url.strict]) await call(base, 'GET', path)
  await call(url.gateway, 'GET', '/api/v1/users/me', { token })
  await drain()

  const phase = async (key, what, count, send) => {
    log(`${key}: ${count} × ${what}`)
    const run = await requests(count, send)
    phases.push({ key, what, requests: count, ...run, ops: tally(await drain(), count) })
  }
  await phase('cached-read', 'GET /api/v1/products/{id} (gateway cache hit)', N, () => call(url.gateway, 'GET', path))
  await phase('forwarded-read', 'GET /api/v1/products/{id}, gateway cache off (inventory L1)', N, () => call(url.nocache, 'GET', path))
  await phase('authenticated-read', 'GET /api/v1/users/me', N, () => call(url.gateway, 'GET', '/api/v1/users/me', { token }))
  await phase('hot-key', 'one client IP over its 120/min anonymous quota (production limits)', N, () =>
    call(url.strict, 'GET', path, { headers: { 'cf-connecting-ip': '198.51.100.7' } }),
  )
  // A service failing one call in five: not enough to open its breaker (50 %), so every outcome is reported.
  await expectCall(200, url.gateway, 'PUT', '/api/v1/admin/faults/users', { token: admin, body: { mode: 'error', rate: 0.2 } })
  await phase('partial-failure', 'GET /api/v1/users/me while users fails 20 % of calls (breaker stays closed)', N, () =>
    call(url.gateway, 'GET', '/api/v1/users/me', { token }),
  )
  await expectCall(200, url.gateway, 'PUT', '/api/v1/admin/faults/users', { token: admin, body: { mode: 'none', rate: 0 } })
  await drain()
  let price = 1000
  await phase('product-write', 'PATCH /api/v1/products/{id} (admin)', Math.min(N, 40), () =>
    call(url.gateway, 'PATCH', `/api/v1/products/${products[1]}`, { token: admin, body: { price_cents: (price += 1) } }),
  )
  log(`orders: ${ORDERS} orders of 1 item, 4 clients`)
  const began = performance.now()
  await placeOrders(url.gateway, token, [products[2]], { items: 1, concurrency: 4, count: ORDERS })
  phases.push({
    key: 'order',
    what: 'POST /api/v1/orders to confirmed (1 item), polling included',
    requests: ORDERS,
    statuses: {},
    seconds: (performance.now() - began) / 1000,
    ops: tally(await drain(3_000), ORDERS),
  })
} finally {
  await system.stop()
  receiver.close()
}

const out = { date: new Date().toISOString(), requestsPerPhase: N, concurrency: CONCURRENCY, phases }
writeFileSync(`${BUILD_ROOT}/capacity.json`, JSON.stringify(out, null, 2))
for (const { key, requests: count, seconds, statuses, ops } of phases) {
  console.log(`\n${key}: ${count} requests in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)} req/s) ${JSON.stringify(statuses)}`)
  for (const [name, { count: n, perRequest }] of Object.entries(ops))
    console.log(`  ${name.padEnd(44)} ${String(n).padStart(6)}  ${perRequest.toFixed(3)} per request, ${(n / seconds).toFixed(1)}/s`)
}
log(`written to ${BUILD_ROOT}/capacity.json`)
