// `npm start`: the whole system in one wrangler dev process, exactly as the e2e suite runs it.
//   PORT         the gateway's port (default 8787)
//   PERSIST_DIR  where local D1/KV/DO state lives (default .wrangler/state)
//   HOST         the address to listen on (default 127.0.0.1)
//   OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER_ARG,
//   OTEL_EXPORTER_OTLP_TIMEOUT   when set, given to every Worker: traces are exported
//                                over OTLP/HTTP (README, "Tracing"); unset, nothing is traced.
//                                Written into each Worker's .dev.vars (writeOtelVars).
import { spawn, spawnSync } from 'node:child_process'
import { ensureDevVars, writeOtelVars } from './dev-keys.mjs'
import { recoverOnStart } from './replay-on-start.mjs'
import { OFFLINE_ENV, WORKERS, WRANGLER } from './workers.mjs'

const port = process.env.PORT ?? '8787'
const host = process.env.HOST ?? '127.0.0.1'
const persistTo = process.env.PERSIST_DIR ?? '.wrangler/state'
const env = { ...process.env, ...OFFLINE_ENV }
const [node, wrangler] = WRANGLER

if (await ensureDevVars()) console.log('Generated local development keys (.dev.vars files).')
// With several configs wrangler dev gives `--var` to the first Worker only; the others read their
// vars from their own .dev.vars, so the OpenTelemetry variables are written there (or removed).
if (writeOtelVars(process.env)) console.log(`Tracing: exporting to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`)

for (const { config, database } of WORKERS.filter((worker) => worker.database)) {
  const applied = spawnSync(node, [wrangler, 'd1', 'migrations', 'apply', database, '--local', '--persist-to', persistTo, '-c', config], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (applied.status !== 0) {
    console.error(`Applying the ${database} migrations failed.`)
    process.exit(applied.status ?? 1)
  }
}

const args = [wrangler, 'dev', ...WORKERS.flatMap(({ config }) => ['-c', config])]
args.push('--port', port, '--ip', host, '--persist-to', persistTo, '--inspector-port', process.env.INSPECTOR_PORT ?? '0')
args.push('--show-interactive-dev-session=false')
const dev = spawn(node, args, { env, stdio: ['ignore', 'inherit', 'inherit'] })

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal))
dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))

// After a crash: replay what the local queues lost (scripts/replay-on-start.mjs).
void recoverOnStart({ baseUrl: `http://${host}:${port}`, persistDir: persistTo })
