// Workers CPU time per request, for the cost table (bench/order-anatomy.mjs): the CPU time the
// workerd process spent while requests of one kind ran one after another, minus what it spends
// idle in the same time, divided by their number. One process runs every Worker, every Durable
// Object and the local stand-ins of D1 (SQLite), KV and Queues, so this is an upper bound on what
// Cloudflare bills as the Workers' CPU time (their isolates' CPU only). Linux only (/proc).
import { expectCall, sleep } from './harness.mjs'
import { buildSystem, customerOrdersDb, startSystem } from './order-system.mjs'
import { systemCpuMs, TICK_MS } from './process-cpu.mjs'

const IDLE_SAMPLE_MS = 1_000
// Queue consumers (the read model, notifications) take a batch after at most 1 s (wrangler.toml).
const QUEUE_SETTLE_MS = 2_500

/** A public product read: after the first, the gateway's cache answers it (`X-Cache-Gateway: hit`). */
export async function productRead(system) {
  const read = await expectCall(200, system.url.gateway, 'GET', `/api/v1/products/${system.products[0]}`)
  return read.headers.get('x-cache-gateway')
}

/** An authenticated read of the customer's own profile. */
export async function meRead(system) {
  await expectCall(200, system.url.gateway, 'GET', '/api/v1/users/me', { token: system.token })
  return 'answered'
}

/** CPU ms per request of `run()`'s `count` requests, net of the idle rate; null without /proc. */
async function perRequest(run, count) {
  const idleFrom = systemCpuMs()
  if (idleFrom === null) return null
  await sleep(IDLE_SAMPLE_MS)
  const idlePerMs = (systemCpuMs() - idleFrom) / IDLE_SAMPLE_MS
  const before = systemCpuMs()
  const began = performance.now()
  await run()
  const wallMs = performance.now() - began
  const used = systemCpuMs() - before - idlePerMs * wallMs
  // A tick either way on the run, and on the idle sample scaled to the run's wall time.
  const resolutionMs = (TICK_MS + (TICK_MS * wallMs) / IDLE_SAMPLE_MS) / count
  return { ms: Math.max(0, used) / count, resolutionMs, count }
}

/** Orders placed one after another (each POST answered before the next), then waited for: confirmed, and their events consumed. */
async function placeOrders(system, db, count) {
  const body = { items: [{ product_id: system.products[0], quantity: 1 }], payment_token: 'tok_visa' }
  const ids = []
  for (let index = 0; index < count; index++) {
    const headers = { 'Idempotency-Key': crypto.randomUUID() }
    ids.push((await expectCall(202, system.url.gateway, 'POST', '/api/v1/orders', { token: system.token, body, headers })).body.id)
  }
  const confirmed = db.prepare(`SELECT COUNT(*) AS n FROM orders WHERE status = 'confirmed' AND id IN (SELECT value FROM json_each(?1))`)
  for (let waited = 0; (await confirmed.bind(JSON.stringify(ids)).first())?.n !== count; waited += 100) {
    if (waited > 60_000) throw new Error(`${count} orders not confirmed within 60 s`)
    await sleep(100)
  }
  await sleep(QUEUE_SETTLE_MS)
}

/**
 * CPU ms per request of each kind on `system` (the bench system, started by the caller): `reads`
 * cached product reads, `reads` users/me and `orders` orders, each after a warm-up of its own.
 */
export async function measureCpu(system, { reads, orders }) {
  const db = await customerOrdersDb(system)
  const repeat = (read) => async () => {
    for (let index = 0; index < reads; index++) await read(system)
  }
  await productRead(system)
  const cachedRead = await perRequest(repeat(productRead), reads)
  await meRead(system)
  const authenticatedRead = await perRequest(repeat(meRead), reads)
  await placeOrders(system, db, 1)
  const order = await perRequest(() => placeOrders(system, db, orders), orders)
  return { 'cached read': cachedRead, 'authenticated read': authenticatedRead, order }
}

/** `measureCpu` on a system of its own with tracing off (no OTLP endpoint): the Workers' work without the spans' export. */
export async function measureUntracedCpu(counts) {
  const { built } = await buildSystem()
  const system = await startSystem(Object.values(built))
  try {
    return await measureCpu(system, counts)
  } finally {
    await system.stop()
  }
}
