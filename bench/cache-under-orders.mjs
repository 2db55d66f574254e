// Figure 5c: the product cache's hit ratio while orders are being placed. Every reservation
// changes a product's `available`, so it must invalidate that product's cached copies; the
// question is how many others go with it. ORDERERS clients place one-item orders of random
// catalog products through the gateway (each followed to `confirmed` or `cancelled`) while
// READERS clients read random catalog products straight from inventory, for SECONDS; the ratio
// counts the readers' `X-Cache` answers (development only): `L1 hit` and `L2 hit` are hits.
// Part of `npm run bench` (bench/run.mjs); alone, it starts its own system:
//   npm exec -- node bench/cache-under-orders.mjs      (about a minute: build, seed, SECONDS of load)
//   SECONDS (15), READERS (16), ORDERERS (8), CATALOG (100) products; BENCH_DEBUG=1 shows workerd's errors.
import { pathToFileURL } from 'node:url'
import { call, expectCall, sleep } from './harness.mjs'

export const DEFAULTS = { seconds: 15, readers: 16, orderers: 8, catalog: 100 }
export const TARGET_HIT_RATIO = 0.9
const POLL_MS = 100

const pick = (items) => items[Math.floor(Math.random() * items.length)]

/**
 * Runs the load and answers what the readers saw: reads by `X-Cache` answer, the hit ratio, the
 * orders placed and how they ended. `sign(audience, principal)` makes the gateway's credential
 * (a fresh one per reader every 30 s: they live 60 s).
 */
export async function cacheUnderOrders({ gateway, inventory, token, sign, products, seconds, readers, orderers }) {
  const read = (id, credential) => call(inventory, 'GET', `/api/v1/products/${id}`, { headers: { 'x-gateway-credential': credential } })
  // Every product once first: what is measured is invalidation, not a cold cache.
  const warm = await sign('inventory', null)
  for (const id of products) await read(id, warm)

  const seen = {}
  const orders = { placed: 0, confirmed: 0, cancelled: 0, errors: [] }
  const deadline = Date.now() + seconds * 1000
  async function reader() {
    let credential = await sign('inventory', null)
    let signedAt = Date.now()
    while (Date.now() < deadline) {
      if (Date.now() - signedAt > 30_000) [credential, signedAt] = [await sign('inventory', null), Date.now()]
      const answer = await read(pick(products), credential)
      const level = answer.status === 200 ? (answer.headers.get('x-cache') ?? 'no X-Cache') : `status ${answer.status}`
      seen[level] = (seen[level] ?? 0) + 1
    }
  }
  async function orderer() {
    while (Date.now() < deadline) {
      const body = { items: [{ product_id: pick(products), quantity: 1 }], payment_token: 'tok_visa' }
      const placed = await call(gateway, 'POST', '/api/v1/orders', { token, body, headers: { 'Idempotency-Key': crypto.randomUUID() } })
      if (placed.status !== 202) {
        orders.errors.push(`POST /api/v1/orders: ${placed.status}`)
        continue
      }
      orders.placed += 1
      // Polled every 100 ms, not figure 3's 5 ms (one client) or 20 ms (eight): what is measured here is the reads, and
      // every poll is a gateway request competing with them for the one workerd process.
      for (const until = Date.now() + 30_000; Date.now() < until; await sleep(POLL_MS)) {
        const { status, body: order } = await call(gateway, 'GET', `/api/v1/orders/${placed.body.id}`, { token })
        if (status === 200 && order.status !== 'pending') {
          orders[order.status === 'confirmed' ? 'confirmed' : 'cancelled'] += 1
          break
        }
      }
    }
  }
  await Promise.all([...Array.from({ length: readers }, reader), ...Array.from({ length: orderers }, orderer)])
  const reads = Object.values(seen).reduce((sum, n) => sum + n, 0)
  const hits = (seen['L1 hit'] ?? 0) + (seen['L2 hit'] ?? 0)
  return { seconds, readers, orderers, catalog: products.length, reads, seen, hitRatio: reads ? hits / reads : 0, orders }
}

/** The figure's section of bench/RESULTS.md (and of the standalone run's output). */
export function renderCacheUnderOrders(result) {
  const { seconds, readers, orderers, catalog, reads, seen, hitRatio, orders } = result
  const percent = (ratio) => `${(ratio * 100).toFixed(1)} %`
  const answers = Object.entries(seen)
    .sort(([, a], [, b]) => b - a)
    .map(([level, n]) => `${level} ${n}`)
    .join(', ')
  return `### 5c. Product reads while orders are placed

${orderers} clients placed one-item orders of random products of a ${catalog}-product catalog through the gateway
(each followed to its end) while ${readers} clients read random products of it straight from inventory, for ${seconds} s
(bench/cache-under-orders.mjs). Each reservation and each release invalidates the cached copies of its
products only, and refills them once it has answered; a commit leaves \`available\` as it was and
invalidates nothing (docs/caching.md). One inventory isolate here: the writer's refill lands in the
readers' L1. Before per-product invalidation every order emptied the whole product cache (bench/README.md
has the figures of both designs on this machine).

| reads | hits (L1 + L2) | answers | orders placed (confirmed / cancelled / refused) | target ≥ ${percent(TARGET_HIT_RATIO)} |
| ---: | ---: | --- | --- | --- |
| ${reads} | ${percent(hitRatio)} | ${answers} | ${orders.placed} (${orders.confirmed} / ${orders.cancelled} / ${orders.errors.length}) | ${hitRatio >= TARGET_HIT_RATIO ? '**meets**' : '**misses**'} |
`
}

// --- Standalone: its own system in one Miniflare ----------------------------------------------
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { decodeJwt } = await import('jose')
  const { developmentVars } = await import('../scripts/dev-keys.mjs')
  const { WORKERS } = await import('../scripts/workers.mjs')
  const { credentialSigner, direct, migrate, production, start, variant } = await import('./harness.mjs')
  const settings = {
    seconds: Number(process.env.SECONDS ?? DEFAULTS.seconds),
    readers: Number(process.env.READERS ?? DEFAULTS.readers),
    orderers: Number(process.env.ORDERERS ?? DEFAULTS.orderers),
    catalog: Number(process.env.CATALOG ?? DEFAULTS.catalog),
  }
  const vars = await developmentVars()
  const built = Object.fromEntries(WORKERS.map((worker) => [worker.name, production(worker, { ...vars[worker.name] })]))
  // One client: the limiter counts, never refuses (as in bench/run.mjs).
  const limits = { RATE_LIMIT_AUTH: '1000000/60', RATE_LIMIT_USER: '1000000/60', RATE_LIMIT_ANONYMOUS: '1000000/60' }
  const system = await start([
    direct(variant(built.gateway, 'gateway', { vars: limits })),
    direct(built.inventory),
    built.users,
    built.payments,
    built.notifications,
    built.orders,
  ])
  try {
    for (const { name, database } of WORKERS) if (database) await migrate(system.mf, name)
    const gateway = await system.url('gateway')
    const inventory = await system.url('inventory')
    const sign = credentialSigner(vars.gateway.GATEWAY_PRIVATE_KEY)
    const login = (body) => expectCall(200, gateway, 'POST', '/api/v1/auth/login', { body })
    const admin = (await login({ email: 'admin@example.com', password: 'admin-password-change-me' })).body.access_token
    const adminPrincipal = (({ sub, roles }) => ({ id: sub, roles }))(decodeJwt(admin))
    const customer = {
      email: `bench-${crypto.randomUUID().slice(0, 8)}@example.com`,
      password: 'bench-password-long-enough',
      name: 'Bench',
    }
    await expectCall(201, gateway, 'POST', '/api/v1/auth/register', { body: customer })
    const token = (await login({ email: customer.email, password: customer.password })).body.access_token
    const products = []
    for (let i = 0; i < settings.catalog; i++) {
      const sku = `BENCH-${crypto.randomUUID().slice(0, 12)}`
      const body = { sku, name: `Bench ${sku}`, price_cents: 1250, currency: 'EUR', initial_stock: 1_000_000 }
      const headers = { 'x-gateway-credential': await sign('inventory', adminPrincipal) }
      products.push((await expectCall(201, inventory, 'POST', '/api/v1/products', { body, headers })).body.id)
    }
    const result = await cacheUnderOrders({ gateway, inventory, token, sign, products, ...settings })
    console.log(JSON.stringify(result))
    console.log(renderCacheUnderOrders(result))
  } finally {
    await system.stop()
  }
}
