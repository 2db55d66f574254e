// `npm run bench:resilience`: what the gateway's resilience layer (bulkhead, circuit breaker,
// timeout, retries — workers/gateway/src/resilience) costs in throughput and latency.
// Starts the whole system twice under `wrangler dev` on 127.0.0.1 — the layer off
// (RESILIENCE=off) and on — both running at once, and drives the same route on each with
// autocannon in short alternating slices, so that background load on the machine hits both
// alike; writes bench/RESULTS.md. Never part of `npm test`. Bounded: start-up (≤ 2 min) +
// warm-up + 2 × BENCH_SLICES × BENCH_SLICE_S.
//   BENCH_SLICES       slices per mode (default 8), order alternating
//   BENCH_SLICE_S      seconds per slice (default 2)
//   BENCH_CONNECTIONS  concurrent connections (default 16)
//   BENCH_PATH         the route (default /api/v1/products: gateway → inventory → D1)
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { ensureDevVars } from '../scripts/dev-keys.mjs'
import { OFFLINE_ENV, WORKERS, WRANGLER } from '../scripts/workers.mjs'

const SLICES = Number(process.env.BENCH_SLICES ?? 8)
const SLICE_S = Number(process.env.BENCH_SLICE_S ?? 2)
const WARMUP_S = 3
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16)
const PATH = process.env.BENCH_PATH ?? '/api/v1/products'
const START_TIMEOUT_MS = 120_000
const TARGET_RATIO = 0.8
// The benchmark is one client IP: rate limits would measure the limiter, not the layer.
const COMMON_VARS = ['RATE_LIMIT_ANONYMOUS:100000000/60', 'RATE_LIMIT_USER:100000000/60', 'RATE_LIMIT_AUTH:100000000/60']

const env = { ...process.env, ...OFFLINE_ENV }
const [node, wrangler] = WRANGLER

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** The system as `npm start` runs it, with extra gateway vars; answers its base URL and a stop function. */
async function startSystem(vars) {
  const persistTo = mkdtempSync(join(tmpdir(), 'edge-commerce-bench-'))
  for (const { config, database } of WORKERS.filter((worker) => worker.database)) {
    const applied = spawnSync(node, [wrangler, 'd1', 'migrations', 'apply', database, '--local', '--persist-to', persistTo, '-c', config], { env, stdio: 'ignore' })
    if (applied.status !== 0) throw new Error(`applying the ${database} migrations failed`)
  }
  const port = await freePort()
  const args = [wrangler, 'dev', ...WORKERS.flatMap(({ config }) => ['-c', config]), '--port', String(port), '--ip', '127.0.0.1']
  args.push('--persist-to', persistTo, '--inspector-port', '0', '--show-interactive-dev-session=false', '--log-level', 'error')
  for (const pair of [...COMMON_VARS, ...vars]) args.push('--var', pair)
  const system = spawn(node, args, { env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  system.stderr.on('data', (chunk) => (log = (log + chunk).slice(-5_000)))
  const stop = () =>
    new Promise((resolve) => {
      if (system.exitCode !== null) return resolve()
      const force = setTimeout(() => process.kill(-system.pid, 'SIGKILL'), 10_000)
      system.once('exit', () => {
        clearTimeout(force)
        rmSync(persistTo, { recursive: true, force: true })
        resolve()
      })
      process.kill(-system.pid, 'SIGTERM') // the group this script started, by its id
    })
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (system.exitCode !== null) throw new Error(`wrangler dev exited:\n${log}`)
    if (await fetch(`${baseUrl}/health`).then((response) => response.ok, () => false)) return { baseUrl, stop }
    await sleep(500)
  }
  await stop()
  throw new Error(`the system did not become healthy:\n${log}`)
}

function run(url, duration) {
  return autocannon({ url, connections: CONNECTIONS, duration, pipelining: 1 })
}

async function slice(mode, baseUrl, duration) {
  const result = await run(`${baseUrl}${PATH}`, duration)
  return {
    mode,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}

const MODES = {
  off: { mode: 'resilience off (RESILIENCE=off)', vars: ['RESILIENCE:off'] },
  on: { mode: 'resilience on', vars: [] },
}

/** Slices of one mode as one row: mean throughput and percentiles over the slices, totals summed. */
function combine(rows) {
  const mean = (key) => rows.reduce((sum, row) => sum + row[key], 0) / rows.length
  const sum = (key) => rows.reduce((total, row) => total + row[key], 0)
  return { mode: rows[0].mode, rps: mean('rps'), p50: mean('p50'), p99: mean('p99'), requests: sum('requests'), non2xx: sum('non2xx'), errors: sum('errors') }
}

await ensureDevVars()
const systems = {}
const slices = { off: [], on: [] }
try {
  systems.off = await startSystem(MODES.off.vars)
  systems.on = await startSystem(MODES.on.vars)
  for (const key of ['off', 'on']) await slice(MODES[key].mode, systems[key].baseUrl, WARMUP_S)
  for (let index = 0; index < SLICES; index += 1) {
    for (const key of index % 2 === 0 ? ['off', 'on'] : ['on', 'off']) {
      const row = await slice(MODES[key].mode, systems[key].baseUrl, SLICE_S)
      console.log(JSON.stringify(row))
      slices[key].push(row)
    }
  }
} finally {
  for (const system of Object.values(systems)) await system.stop()
}
const off = combine(slices.off)
const on = combine(slices.on)
const ratio = on.rps / off.rps
const verdict = ratio >= TARGET_RATIO ? 'meets' : 'misses'
const command = 'npm run bench:resilience'
const table = [
  '| mode | req/s (mean) | p50 ms | p99 ms | requests | non-2xx | errors |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...[off, on].map((row) => `| ${row.mode} | ${row.rps.toFixed(1)} | ${row.p50.toFixed(0)} | ${row.p99.toFixed(0)} | ${row.requests} | ${row.non2xx} | ${row.errors} |`),
].join('\n')
const report = `# Benchmark results

## Resilience layer (issue 5)

Command: \`${command}\` (bench/resilience.mjs; env: BENCH_SLICES=${SLICES}, BENCH_SLICE_S=${SLICE_S}, BENCH_CONNECTIONS=${CONNECTIONS}, BENCH_PATH=${PATH})

The whole system under \`wrangler dev\` on 127.0.0.1 (workerd, local D1), twice and at once: the
gateway's resilience layer off (\`--var RESILIENCE:off\`: a plain fetch with a timeout) and on
(bulkhead, circuit breaker via the isolate copy, per-attempt timeout, retry policy and budget,
outcome reports after the response). After a ${WARMUP_S} s warm-up of each, autocannon drives
\`GET ${PATH}\` (anonymous; rate limits raised) with ${CONNECTIONS} connections in ${SLICES} slices of
${SLICE_S} s per mode, alternating which goes first, so load from elsewhere on the machine falls on
both alike. Rows: the mean over the slices (requests summed).

Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.

${table}

Throughput with the layer on: **${(ratio * 100).toFixed(1)}%** of the throughput without it
(target ≥ ${TARGET_RATIO * 100}%: ${verdict} it). p50 ${off.p50.toFixed(0)} → ${on.p50.toFixed(0)} ms, p99 ${off.p99.toFixed(0)} → ${on.p99.toFixed(0)} ms.

Per slice (req/s): off ${slices.off.map((row) => row.rps.toFixed(0)).join(', ')}; on ${slices.on.map((row) => row.rps.toFixed(0)).join(', ')}.

Local numbers on a shared machine: compare the ratio, not the absolute figures; slice-to-slice
swings of ±30% are load from elsewhere, so a ratio near or above 100% means no measurable cost,
not a speed-up. See
docs/adr/0012-circuit-breaker-isolate-copy.md for why the layer costs so little on the hot path.
`
writeFileSync(new URL('./RESULTS.md', import.meta.url), report)
console.log(`ratio ${(ratio * 100).toFixed(1)}% (${verdict} the ${TARGET_RATIO * 100}% target); written to bench/RESULTS.md`)
