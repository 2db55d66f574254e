// The system the order benchmarks run (bench/orders-base.mjs, bench/operations.mjs,
// bench/order-anatomy.mjs): every Worker's production bundle in one Miniflare, the gateway on a
// direct socket, migrations applied, a customer signed in and products with ample stock.
import { decodeJwt } from 'jose'
import { developmentVars } from '../scripts/dev-keys.mjs'
import { d1BindingsOf, WORKERS } from '../scripts/workers.mjs'
import { shardIndex } from '../platform/db/shards.ts'
import { benchProductBody, direct, expectCall, migrate, production, sleep, start, variant } from './harness.mjs'

const ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }
// One client: the limiter counts every request but never refuses (as in bench/run.mjs).
export const RATE_LIMITS = { RATE_LIMIT_AUTH: '1000000/60', RATE_LIMIT_USER: '1000000/60', RATE_LIMIT_ANONYMOUS: '1000000/60' }
// Creating products bumps the catalog's cache generation (inventory's queue consumer): let it land.
const SETTLE_MS = 3_000

/**
 * Builds every Worker (`vars` over each one's development vars; `extraVars` for all of them, such
 * as the OTLP endpoint) and answers the Miniflare worker options by name, and the vars.
 */
export async function buildSystem({ extraVars = {} } = {}) {
  const vars = await developmentVars()
  const built = Object.fromEntries(WORKERS.map((worker) => [worker.name, production(worker, { ...vars[worker.name] })]))
  for (const options of Object.values(built)) Object.assign(options.bindings, extraVars)
  built.gateway = variant(built.gateway, 'gateway', { vars: RATE_LIMITS })
  return { built, vars }
}

/**
 * Starts `workers` (options; the gateway and any named in `directs` on sockets of their own),
 * applies every migration, and seeds an admin, a customer and `products` products. `inspector`:
 * workerd's inspector is open, so that bench/profile.mjs can profile a Worker's isolate.
 */
export async function startSystem(workers, { directs = ['gateway'], products = 1, inspector = false } = {}) {
  const system = await start(
    workers.map((options) => (directs.includes(options.name) ? direct(options) : options)),
    { inspector },
  )
  try {
    for (const { name, database } of WORKERS) if (database) await migrate(system.mf, name)
    const url = Object.fromEntries(await Promise.all(directs.map(async (name) => [name, await system.url(name)])))
    const admin = (await expectCall(200, url.gateway, 'POST', '/api/v1/auth/login', { body: ADMIN })).body.access_token
    const customer = {
      email: `bench-${crypto.randomUUID().slice(0, 8)}@example.com`,
      password: 'bench-password-long-enough',
      name: 'Bench',
    }
    await expectCall(201, url.gateway, 'POST', '/api/v1/auth/register', { body: customer })
    const login = { email: customer.email, password: customer.password }
    const token = (await expectCall(200, url.gateway, 'POST', '/api/v1/auth/login', { body: login })).body.access_token
    const ids = []
    for (let index = 0; index < products; index++) {
      const body = benchProductBody()
      ids.push((await expectCall(201, url.gateway, 'POST', '/api/v1/products', { token: admin, body })).body.id)
    }
    await sleep(SETTLE_MS)
    return { ...system, url, token, admin, products: ids, principal: decodeJwt(token) }
  } catch (error) {
    await system.stop()
    throw error
  }
}

/** Every shard of orders' database in `mf` (platform/db/shards.ts), in order. */
export async function orderShards(mf) {
  return Promise.all((await d1BindingsOf('orders')).map((binding) => mf.getD1Database(binding, 'orders')))
}

/** The shard of orders' database that holds the bench customer's orders (`system` from startSystem). */
export async function customerOrdersDb(system) {
  const shards = await orderShards(system.mf)
  return shards[shardIndex(system.principal.sub, shards.length)]
}
