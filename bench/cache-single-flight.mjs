// The product cache's single-flight under concurrent load, in workerd (not part of `npm test`:
// it is load, bounded in time). Inventory's production bundle runs in Miniflare (bench/harness.mjs)
// twice: with CACHE_LEVELS=l2 (every read shares a KV read with the reads in flight) and with
// the default l1,l2. For each, CONNECTIONS autocannon connections read one product for SECONDS
// while a writer changes its price every WRITE_EVERY_MS (each change bumps the product's stamp, so
// the stamp view's shared D1 read and shared source reads run under load too). Exits 1 if any
// answer is not a 2xx: before docs/adr/0017's "Single-flight across requests", the l2 run got
// workerd's own 500s ("Cannot perform I/O on behalf of a different request (ReadableStreamSource)").
//   npm exec -- node bench/cache-single-flight.mjs
//   BENCH_DEBUG=1 prints workerd's error logs; SECONDS (10), CONNECTIONS (16), WRITE_EVERY_MS (250).
import autocannon from 'autocannon'
import { credentialSigner, direct, expectCall, migrate, sleep, start, variant } from './harness.mjs'
import { developmentVars } from '../scripts/dev-keys.mjs'
import { WORKERS } from '../scripts/workers.mjs'
import { productionWorkerOptions, WORKER_OPTION_KEYS } from '../test/support/miniflare-options.mjs'

const SECONDS = Number(process.env.SECONDS ?? 10)
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16)
const WRITE_EVERY_MS = Number(process.env.WRITE_EVERY_MS ?? 250)
const OUTDIR = `${process.env.TEST_BUILD_DIR ?? '.build/test-cacheio'}/load-inventory`
const ADMIN = { id: 'usr_admin', roles: ['customer', 'admin'] }

const vars = await developmentVars()
const inventory = productionWorkerOptions(
  WORKERS.find(({ name }) => name === 'inventory'),
  OUTDIR,
  { ...vars.inventory },
  [...WORKER_OPTION_KEYS, 'analyticsEngineDatasets'],
)
const system = await start([direct(inventory), direct(variant(inventory, 'inventory-l2', { vars: { CACHE_LEVELS: 'l2' } }))])
let failed = false
try {
  await migrate(system.mf, 'inventory')
  const sign = credentialSigner(vars.gateway.GATEWAY_PRIVATE_KEY)
  const urls = { l2: await system.url('inventory-l2'), 'l1,l2': await system.url('inventory') }
  const admin = { 'x-gateway-credential': await sign('inventory', ADMIN) }
  const body = {
    sku: `LOAD-${crypto.randomUUID().slice(0, 8)}`,
    name: 'Teapot',
    description: 'Short and stout',
    price_cents: 100,
    currency: 'EUR',
    initial_stock: 5,
  }
  const product = (await expectCall(201, urls['l1,l2'], 'POST', '/api/v1/products', { body, headers: admin })).body
  for (const [levels, url] of Object.entries(urls)) {
    let writing = true
    let writes = 0
    const writer = (async () => {
      while (writing) {
        await expectCall(200, urls['l1,l2'], 'PATCH', `/api/v1/products/${product.id}`, {
          body: { price_cents: 100 + (writes += 1) },
          headers: admin,
        })
        await sleep(WRITE_EVERY_MS)
      }
    })()
    const result = await autocannon({
      url: `${url}/api/v1/products/${product.id}`,
      headers: { 'x-gateway-credential': await sign('inventory', null) },
      connections: CONNECTIONS,
      duration: SECONDS,
    })
    writing = false
    await writer
    const row = {
      levels,
      requests: result.requests.total,
      '2xx': result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      writes,
    }
    console.log(JSON.stringify(row))
    if (result.non2xx || result.errors || result.timeouts || result['2xx'] === 0) failed = true
  }
} finally {
  await system.stop()
}
process.exit(failed ? 1 : 0)
