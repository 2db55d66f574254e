// The benchmarks' harness: the production bundles (`wrangler deploy --dry-run`) run by
// Miniflare's API in one workerd process on 127.0.0.1, each measured Worker on a direct socket
// of its own (no entry Worker, no `wrangler dev` proxy in front), with a temporary persistence
// directory removed at the end. bench/README.md describes what runs where.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importJWK, SignJWT } from 'jose'
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from 'miniflare'
import { unstable_splitSqlQuery } from 'wrangler'
import { productionWorkerOptions, WORKER_OPTION_KEYS } from '../test/support/miniflare-options.mjs'
import { d1BindingsOf } from '../scripts/workers.mjs'

export const BUILD_ROOT = '.build/bench'
const DIRECT = [{ host: '127.0.0.1', port: 0 }]
// The gateway records RED metrics into Analytics Engine; Miniflare simulates the dataset.
const OPTION_KEYS = [...WORKER_OPTION_KEYS, 'analyticsEngineDatasets']

/**
 * A Worker's production bundle, built afresh (no module of an earlier build left beside it),
 * and its Miniflare options (`vars` over its wrangler.toml [vars]).
 */
export function production(entry, vars = {}) {
  const outdir = `${BUILD_ROOT}/${entry.name}`
  rmSync(outdir, { recursive: true, force: true })
  return productionWorkerOptions(entry, outdir, vars, OPTION_KEYS)
}

/**
 * A second copy of a built Worker under another name, with other vars and bindings: it shares
 * the original's bundle, D1 and KV (same ids) but no queue consumer (a queue has one) or cron.
 */
export function variant(options, name, { vars = {}, serviceBindings = {} } = {}) {
  const { queueConsumers: _consumers, cronTriggers: _crons, ...rest } = options
  return { ...rest, name, bindings: { ...options.bindings, ...vars }, serviceBindings: { ...options.serviceBindings, ...serviceBindings } }
}

/** Gives a worker a direct socket of its own on 127.0.0.1 (a free port). */
export const direct = (options) => ({ ...options, unsafeDirectSockets: DIRECT })

/**
 * Where local D1, KV and Durable Object storage live during a run: BENCH_PERSIST_DIR, else
 * memory-backed /dev/shm where there is one, else the system's temporary directory. On a disk,
 * every durable write waits for an fsync that the platform does not do in that form — the rate
 * limiter writes once per request, so its figures would measure this machine's disk.
 */
export const PERSIST_ROOT = process.env.BENCH_PERSIST_DIR || (existsSync('/dev/shm') ? '/dev/shm' : tmpdir())

/** A free TCP port on 127.0.0.1 (Miniflare's inspector takes a number, not 0). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts one Miniflare (one workerd) with `workers`, persistence in a temporary directory.
 * Worker logs are dropped: the request log line per request still costs what it costs in
 * production, but nobody reads it here.
 */
export async function start(workers, { inspector = false } = {}) {
  const inspectorPort = inspector ? await freePort() : undefined
  const persist = mkdtempSync(join(PERSIST_ROOT, 'edge-commerce-bench-'))
  // Worker options in Miniflare 4's shape (what wrangler gives), converted for Miniflare 5.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: '127.0.0.1',
      port: 0,
      log: new Log(LogLevel.ERROR),
      handleStructuredLogs: process.env.BENCH_DEBUG ? (log) => log.level === 'error' && console.error(log.message) : () => {},
      resourcePersistencePath: persist,
      ...(inspectorPort === undefined ? {} : { inspectorPort }),
      workers,
    }),
  )
  try {
    await mf.ready
  } catch (error) {
    rmSync(persist, { recursive: true, force: true })
    throw error
  }
  return {
    mf,
    /** With `inspector`: the workerd inspector, a Worker's isolate at `${inspectorUrl}core:user:<name>`. */
    inspectorUrl: inspectorPort === undefined ? null : `ws://127.0.0.1:${inspectorPort}/`,
    async url(name) {
      return (await mf.unsafeGetDirectURL(name)).origin
    },
    async stop() {
      await mf.dispose()
      rmSync(persist, { recursive: true, force: true })
    },
  }
}

/**
 * Applies a service's migrations (migrations/<service>/*.sql, in order) to each of its D1
 * databases (a sharded one's every shard), as `wrangler d1 migrations apply` would.
 */
export async function migrate(mf, service) {
  const folder = `migrations/${service}`
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.sql'))
    .sort()
  for (const binding of await d1BindingsOf(service)) {
    const db = await mf.getD1Database(binding, service)
    for (const file of files) {
      const statements = unstable_splitSqlQuery(readFileSync(join(folder, file), 'utf8'))
      await db.batch(statements.map((sql) => db.prepare(sql)))
    }
  }
}

/**
 * Signs the per-request credential the gateway sends an internal Worker
 * (platform/auth/internal-credential.ts, same claims), so a call made straight to the service
 * does the same work there as one through the gateway. Valid for 60 s: sign one per slice.
 */
export function credentialSigner(privateJwkJson) {
  const jwk = JSON.parse(privateJwkJson)
  const key = importJWK(jwk, 'ES256')
  return async (audience, principal) =>
    new SignJWT({ roles: principal?.roles ?? [], rid: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'gateway+jwt' })
      .setIssuer('gateway')
      .setAudience(audience)
      .setSubject(principal?.id ?? 'anonymous')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(await key)
}

/** A JSON call; answers status, headers and parsed body (throws on a network error). */
export async function call(base, method, path, { token, body, headers = {} } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  let parsed = null
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    parsed = text
  }
  return { status: response.status, headers: response.headers, body: parsed }
}

/** A new product for the benchmarks: a unique SKU, and stock no run can sell out. */
export function benchProductBody() {
  const sku = `BENCH-${crypto.randomUUID().slice(0, 12)}`
  return {
    sku,
    name: `Bench ${sku}`,
    description: 'A product of the benchmark.',
    price_cents: 1250,
    currency: 'EUR',
    initial_stock: 1_000_000,
  }
}

/** Like `call`, but throws unless the status is `expected`. */
export async function expectCall(expected, base, method, path, options) {
  const result = await call(base, method, path, options)
  if (result.status !== expected)
    throw new Error(`${method} ${path}: ${result.status}, expected ${expected}: ${JSON.stringify(result.body)}`)
  return result
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
