// The peer (issue 19, bench/README.md "The peer"): bench/peer, a gateway built from Hono's stock
// middleware, runs in the same workerd as the system, bound to the same services, and is loaded
// in the same alternating rounds as our gateway. bench/run.mjs adds `peerWorker` to the system and
// `peerVariants` to its rounds; the report takes the ratios round by round (`peerFigures`).
//
// Alone, `npm exec -- node bench/peer.mjs` (about 1–2 minutes) starts a smaller system, runs only
// these rounds (the floor, our gateway's hit and users/me, the peer's read and users/me) and prints
// the figures: a quick look while changing either gateway. BENCH_ROUNDS, BENCH_SLICE_S and
// BENCH_CONNECTIONS as for the suite.
import { fileURLToPath } from 'node:url'
import { production } from './harness.mjs'
import { ratios, summarize } from './stats.mjs'

export const PEER = { name: 'peer', config: 'bench/peer/wrangler.toml' }

/** Our gateway against the peer and the floor (issue 19). */
export const PEER_TARGETS = { meVsPeer: 1, hitVsPeer: 2, hitVsFloor: 0.4 }

/** The peer's production bundle, signing the internal credential with the gateway's key. */
export const peerWorker = (gatewayPrivateKey) => production(PEER, { GATEWAY_PRIVATE_KEY: gatewayPrivateKey })

/** The peer's two slices: the same users/me (a bearer token) and the same product read, forwarded. */
export function peerVariants({ peerUrl, productPath, bearer }) {
  return [
    { key: 'me-peer', prepare: async () => ({ url: `${peerUrl}/api/v1/users/me`, headers: bearer }) },
    { key: 'product-peer', prepare: async () => ({ url: `${peerUrl}${productPath}` }) },
  ]
}

/**
 * The three comparisons, each a ratio per round of slices measured in the same round: our
 * users/me over the peer's, our cached read (a gateway hit) over the peer's forwarded read, and
 * our cached read over the floor. Null when the slices have no peer (an older results.json).
 */
export function peerFigures(slices) {
  if (!slices['me-peer'] || !slices['product-peer']) return null
  const rps = (key) => slices[key].map((row) => row.rps)
  const me = ratios(rps('me-gateway'), rps('me-peer'))
  const hit = ratios(rps('product-gateway'), rps('product-peer'))
  const floor = ratios(rps('product-gateway'), rps('floor'))
  return {
    me,
    hit,
    floor,
    peerVsFloor: ratios(rps('product-peer'), rps('floor')),
    met: {
      me: me.median >= PEER_TARGETS.meVsPeer,
      hit: hit.median >= PEER_TARGETS.hitVsPeer,
      floor: floor.median >= PEER_TARGETS.hitVsFloor,
    },
    rps: Object.fromEntries(['me-gateway', 'me-peer', 'product-gateway', 'product-peer', 'floor'].map((key) => [key, summarize(rps(key))])),
  }
}

// --- Alone: a smaller system, only the peer's rounds -------------------------------------------
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { developmentVars } = await import('../scripts/dev-keys.mjs')
  const { WORKERS } = await import('../scripts/workers.mjs')
  const { direct, expectCall, migrate, sleep, start, variant } = await import('./harness.mjs')
  const { alternate } = await import('./load.mjs')
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
  const SLICE_S = Number(process.env.BENCH_SLICE_S ?? 2)
  const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16)
  const log = (...args) => console.log(`[peer ${new Date().toISOString().slice(11, 19)}]`, ...args)
  const vars = await developmentVars()
  log('building the production bundles')
  const built = Object.fromEntries(WORKERS.map((worker) => [worker.name, production(worker, { ...vars[worker.name] })]))
  const hello = production({ name: 'hello', config: 'bench/hello/wrangler.toml' })
  const limits = { RATE_LIMIT_AUTH: '1000000/60', RATE_LIMIT_USER: '1000000/60', RATE_LIMIT_ANONYMOUS: '1000000/60' }
  const system = await start([
    direct(hello),
    direct(variant(built.gateway, 'gateway', { vars: { ...limits, LOG_SAMPLE_RATE: '0.05' } })),
    direct(peerWorker(vars.gateway.GATEWAY_PRIVATE_KEY)),
    built.users,
    built.inventory,
    built.payments,
    built.notifications,
    built.orders,
  ])
  try {
    for (const { name, database } of WORKERS) if (database) await migrate(system.mf, name)
    const url = { hello: await system.url('hello'), gateway: await system.url('gateway'), peer: await system.url('peer') }
    const admin = (
      await expectCall(200, url.gateway, 'POST', '/api/v1/auth/login', {
        body: { email: 'admin@example.com', password: 'admin-password-change-me' },
      })
    ).body.access_token
    const customer = { email: `peer-${crypto.randomUUID().slice(0, 8)}@example.com`, password: 'bench-password-long-enough', name: 'Peer' }
    await expectCall(201, url.gateway, 'POST', '/api/v1/auth/register', { body: customer })
    const token = (
      await expectCall(200, url.gateway, 'POST', '/api/v1/auth/login', { body: { email: customer.email, password: customer.password } })
    ).body.access_token
    const sku = `PEER-${crypto.randomUUID().slice(0, 12)}`
    const product = await expectCall(201, url.gateway, 'POST', '/api/v1/products', {
      token: admin,
      body: { sku, name: sku, description: 'A product of the benchmark.', price_cents: 1250, currency: 'EUR', initial_stock: 10 },
    })
    const productPath = `/api/v1/products/${product.body.id}`
    await sleep(3_000)
    const bearer = { authorization: `Bearer ${token}` }
    // Both gateways answer both calls before anything is measured.
    for (const base of [url.gateway, url.peer]) {
      await expectCall(200, base, 'GET', '/api/v1/users/me', { token })
      await expectCall(200, base, 'GET', productPath)
    }
    const slices = await alternate(
      [
        { key: 'floor', prepare: async () => ({ url: `${url.hello}/` }) },
        { key: 'product-gateway', prepare: async () => ({ url: `${url.gateway}${productPath}` }) },
        { key: 'me-gateway', prepare: async () => ({ url: `${url.gateway}/api/v1/users/me`, headers: bearer }) },
        ...peerVariants({ peerUrl: url.peer, productPath, bearer }),
      ],
      {
        rounds: ROUNDS,
        seconds: SLICE_S,
        connections: CONNECTIONS,
        warmupSeconds: 1,
        onSlice: (key, round, row) =>
          log(
            `round ${round + 1} ${key}: ${row.rps.toFixed(0)} req/s${row.non2xx || row.errors ? `, non-2xx ${row.non2xx}, errors ${row.errors}` : ''}`,
          ),
      },
    )
    const figures = peerFigures(slices)
    const pct = ({ median, min, max }) => `${(median * 100).toFixed(1)} % (${(min * 100).toFixed(1)}–${(max * 100).toFixed(1)})`
    log(`users/me: our gateway / the peer ${pct(figures.me)} (target ≥ 100 %: ${figures.met.me ? 'met' : 'not met'})`)
    log(`cached read: our hit / the peer's forwarded read ${pct(figures.hit)} (target ≥ 200 %: ${figures.met.hit ? 'met' : 'not met'})`)
    log(`cached read: our hit / the floor ${pct(figures.floor)} (target ≥ 40 %: ${figures.met.floor ? 'met' : 'not met'})`)
  } finally {
    await system.stop()
  }
}
