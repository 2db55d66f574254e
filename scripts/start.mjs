// `npm start`: the whole system in one wrangler dev process, exactly as the e2e suite runs it.
//   PORT         the gateway's port (default 8787)
//   PERSIST_DIR  where local D1/KV/DO state lives (default .wrangler/state)
//   HOST         the address to listen on (default 127.0.0.1)
//   VERBOSE=1    (or `npm start -- --verbose`) shows wrangler's own output too
//   OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER_ARG,
//   OTEL_EXPORTER_OTLP_TIMEOUT   when set, given to every Worker: traces are exported
//                                over OTLP/HTTP (docs/observability.md, "Tracing"); unset, nothing is traced.
//                                Written into each Worker's .dev.vars (writeOtelVars).
import { spawn } from 'node:child_process'
import { ensureDevVars, writeOtelVars } from './dev-keys.mjs'
import { recoverOnStart } from './replay-on-start.mjs'
import { startLocalCron } from './local-cron.mjs'
import { outputTail, passThrough, phase, seconds, step } from './start-narration.mjs'
import { d1BindingsOf, OFFLINE_ENV, WORKERS, WRANGLER } from './workers.mjs'

const port = process.env.PORT ?? '8787'
const host = process.env.HOST ?? '127.0.0.1'
const persistTo = process.env.PERSIST_DIR ?? '.wrangler/state'
const env = { ...process.env, ...OFFLINE_ENV }
const [node, wrangler] = WRANGLER
const baseUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`
const READY_TIMEOUT_MS = 120_000
const started = performance.now()

/** Runs wrangler to the end, its output kept back; on failure prints it and exits. */
function wranglerStep(args, failure) {
  return new Promise((resolve) => {
    const tail = outputTail()
    const child = spawn(node, [wrangler, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    passThrough(child.stdout, process.stdout, tail)
    passThrough(child.stderr, process.stderr, tail)
    child.on('exit', (code) => {
      if (code === 0) return resolve()
      console.error(`${tail.text()}\n${failure}`)
      process.exit(code ?? 1)
    })
  })
}

console.log('Starting edge-commerce')
const generated = await step('keys (.dev.vars)', () => ensureDevVars())
if (generated) console.log('    generated local development keys')
// With several configs wrangler dev gives `--var` to the first Worker only; the others read their
// vars from their own .dev.vars, so the OpenTelemetry variables are written there (or removed).
if (writeOtelVars(process.env)) console.log(`    tracing: exporting to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`)

// Every D1 binding of each Worker: a sharded database's shards each (platform/db/shards.ts).
for (const { name, config, database } of WORKERS.filter((worker) => worker.database)) {
  for (const binding of await d1BindingsOf(name)) {
    const label = binding === 'DB' ? database : `${database} ${binding}`
    await step(`migrations ${label}`, () =>
      wranglerStep(
        ['d1', 'migrations', 'apply', binding, '--local', '--persist-to', persistTo, '-c', config],
        `Applying the ${label} migrations failed.`,
      ),
    )
  }
}

// --test-scheduled: wrangler dev never fires crons itself; /__scheduled on the first (primary)
// Worker, the gateway, runs its scheduled handler, which local-cron.mjs calls every minute.
const args = [wrangler, 'dev', ...WORKERS.flatMap(({ config }) => ['-c', config])]
args.push('--port', port, '--ip', host, '--persist-to', persistTo, '--inspector-port', process.env.INSPECTOR_PORT ?? '0')
args.push('--show-interactive-dev-session=false', '--test-scheduled')
const tail = outputTail()
const dev = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
passThrough(dev.stdout, process.stdout, tail)
passThrough(dev.stderr, process.stderr, tail)
let cron = null

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal))
dev.on('exit', (code, signal) => {
  cron?.stop()
  if (code) console.error(`${tail.text()}\nwrangler dev exited with ${code}.`)
  process.exit(code ?? (signal ? 0 : 1))
})

/** The gateway's /health, once every service answers (or the last answer when time runs out). */
async function waitUntilReady() {
  const deadline = Date.now() + READY_TIMEOUT_MS
  let health = null
  while (Date.now() < deadline) {
    health = await fetch(`${baseUrl}/health`).then(
      (response) => response.json(),
      () => null,
    )
    if (health?.status === 'ok') break
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return health
}

const health = await step('start-up (wrangler dev)', waitUntilReady)
const states = Object.values(health?.services ?? {})
const ok = states.filter((state) => state === 'ok').length
console.log(`\nready in ${seconds(performance.now() - started)}: ${ok}/${WORKERS.length - 1} services ok`)
if (ok < WORKERS.length - 1) console.log(`  not ok yet: ${JSON.stringify(health)}; VERBOSE=1 npm start shows wrangler's output`)
console.log(`  API        ${baseUrl}`)
console.log(`  reference  ${baseUrl}/docs`)
console.log(
  `  admin      ${process.env.ADMIN_EMAIL ?? 'admin@example.com'} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : 'admin-password-change-me'}`,
)
console.log('  catalogue  npm run seed')
phase.ready = true
cron = startLocalCron(baseUrl)
// After a crash: replay what the local queues lost, and rebuild the read model (scripts/replay-on-start.mjs).
void recoverOnStart({ baseUrl, persistDir: persistTo })
