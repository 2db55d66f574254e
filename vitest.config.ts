import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { d1BindingsOf, WORKERS, type WorkerEntry } from './scripts/workers.mjs'
import { developmentVars } from './scripts/dev-keys.mjs'
import { productionWorkerOptions } from './test/support/miniflare-options.mjs'
import { holdWorkerLogs, showLogs, WorkerLogsReporter } from './test/support/worker-logs.mjs'

// One set of keys for the whole run, made like `npm start` makes them, so the gateway's
// credentials verify in users. Tests that mint credentials read TEST_GATEWAY_PRIVATE_KEY.
const vars = developmentVars()

// TEST_BUILD_DIR: runs that overlap in one work tree (two developers' shells) must not share bundles.
const buildDir = process.env.TEST_BUILD_DIR ?? '.build/test'

// Quiet runs: Worker log lines reach the terminal only beside a failed test, or with TEST_LOGS=1
// (test/support/worker-logs.mjs).
holdWorkerLogs(`${buildDir}/worker-logs.log`)

/**
 * The most one test may take before it counts as hung. Tests assert outcomes, never speed (the
 * bench measures that); on a loaded 2-core machine a heavy test (the whole OpenAPI document's
 * examples, a cursor walk of every dead letter) may take several times its usual second.
 */
const testTimeout = 15_000

const unitProject = {
  test: { name: 'unit', include: ['**/*.unit.test.ts'], exclude: ['node_modules/**'], environment: 'node', testTimeout },
}

/**
 * A service on its own: its routes, RPC and queue handlers against a real D1 in workerd.
 * TEST_GATEWAY_PRIVATE_KEY and TEST_ORDERS_PRIVATE_KEY let tests sign credentials as the gateway
 * and as orders (an RPC caller).
 */
type ServiceName = 'users' | 'inventory' | 'payments' | 'notifications' | 'orders'

interface ServiceProjectOptions {
  /** Internal Workers it calls, run beside it as auxiliary Workers (production bundles). */
  auxiliaries?: ServiceName[]
  /** More test folders that need this Worker as main (its Durable Objects' tests). */
  include?: string[]
  /**
   * A runtime start-up (workerd with the Worker and its auxiliaries) costs seconds, the tests in
   * a file a fraction of that. Shared: the project starts one runtime and runs its files in it one
   * after another, on one storage; only for projects whose tests make their own ids and never
   * read rows they did not write (ADR 0043).
   */
  sharedRuntime?: boolean
}

function serviceProject(name: ServiceName, { auxiliaries = [], include = [], sharedRuntime = false }: ServiceProjectOptions = {}) {
  return {
    plugins: [
      cloudflareTest(async () => {
        const all = await vars
        const aux = await Promise.all(
          WORKERS.filter((worker) => (auxiliaries as string[]).includes(worker.name)).map((worker) =>
            auxiliaryWorker(worker, all[worker.name as ServiceName]),
          ),
        )
        const databases = aux.flatMap(({ databases }) => databases)
        return {
          wrangler: { configPath: `./workers/${name}/wrangler.toml` },
          miniflare: {
            bindings: {
              ...all[name],
              ENVIRONMENT: 'test',
              // A body that stalls is refused after 1 s rather than the production 10 s (platform/http/request-body).
              CLIENT_BODY_TIMEOUT_MS: '1000',
              // Never traced, whatever a .dev.vars left by `npm start` says (tracing has its e2e test).
              OTEL_EXPORTER_OTLP_ENDPOINT: '',
              TEST_GATEWAY_PRIVATE_KEY: all.gateway.GATEWAY_PRIVATE_KEY,
              TEST_ORDERS_PRIVATE_KEY: all.servicePrivateKeys.orders,
              TEST_MIGRATIONS: {
                // Every D1 binding of its wrangler.toml: `DB`, and its other shards where it has them.
                ...Object.fromEntries(
                  await Promise.all(
                    (await d1BindingsOf(name)).map(async (binding) => [binding, await readD1Migrations(`./migrations/${name}`)]),
                  ),
                ),
                ...Object.fromEntries(databases.map(({ binding, migrations }) => [binding, migrations])),
              },
            },
            d1Databases: Object.fromEntries(databases.map(({ binding, id }) => [binding, id])),
            workers: aux.map(({ worker }) => worker),
          },
        }
      }),
    ],
    test: {
      name,
      include: [`workers/${name}/**/*.test.ts`, ...include],
      exclude: ['**/*.unit.test.ts'],
      setupFiles: ['./test/support/apply-migrations.ts'],
      isolate: !sharedRuntime,
      testTimeout,
    },
  }
}

const builtWorkers = new Map<string, ReturnType<typeof productionWorkerOptions>>()

/**
 * An internal Worker as an auxiliary Worker of the cross-Worker project: its production bundle
 * (`wrangler deploy --dry-run`), its bindings, D1 and queues read from its own wrangler.toml,
 * and its development vars (so users bootstraps the development admin). The runner gets `<NAME>_DB` on the same database, only so the setup
 * file can migrate it; the gateway's code never sees those bindings.
 */
async function auxiliaryWorker({ name, config }: WorkerEntry, devVars: Record<string, string>) {
  const outdir = `${buildDir}/${name}`
  // This runs for every test file's runtime, and a build blocks vitest's process for seconds: one
  // build per Worker and run (the sources do not change during a run), a fresh copy per file.
  let options = builtWorkers.get(name)
  if (!options) {
    options = productionWorkerOptions({ name, config }, outdir, devVars)
    builtWorkers.set(name, options)
  }
  const worker = structuredClone(options)
  const bound = Object.entries((worker as { d1Databases?: Record<string, { id: string }> }).d1Databases ?? {})
  const migrations = bound.length > 0 ? await readD1Migrations(`./migrations/${name}`) : []
  // `<NAME>_DB`, and `<NAME>_DB_1` … for a sharded database's other shards.
  return { worker, databases: bound.map(([binding, { id }]) => ({ binding: `${name.toUpperCase()}_${binding}`, id, migrations })) }
}

/**
 * The cross-Worker projects: the gateway under test reaches the real internal Workers over real
 * service bindings. Files that change what every request meets (fault injection, a breaker they
 * open, the whole dead-letter list, the metrics of every request) run in a runtime of their own;
 * the others share one (ADR 0057).
 */
const ISOLATED_CROSS_FILES = [
  'test/cross/circuit-breaker.test.ts',
  'test/cross/dead-letters.test.ts',
  'test/cross/failure-isolation.test.ts',
  'test/cross/faults.test.ts',
  'test/cross/forwarding.test.ts',
  'test/cross/fuzz.test.ts',
  'test/cross/hostile-clients.test.ts',
  'test/cross/logs-and-metrics.test.ts',
  'test/cross/operations.test.ts',
  'test/cross/resilience.test.ts',
  'test/cross/sweep.test.ts',
  'test/cross/owasp/api4-unrestricted-resource-consumption.test.ts',
  'test/cross/owasp/api8-security-misconfiguration.test.ts',
]
const CROSS_FILES = ['workers/gateway/**/*.test.ts', 'test/cross/**/*.test.ts', 'durable-objects/rate-limiter/**/*.test.ts']

function gatewayProject(name: string, { isolated }: { isolated: boolean }) {
  return {
    plugins: [
      cloudflareTest(async () => {
        const all = await vars
        const internal = WORKERS.filter(({ name }) => name !== 'gateway')
        const auxiliaries = await Promise.all(
          internal.map((worker) => auxiliaryWorker(worker, all[worker.name as keyof typeof all] as Record<string, string>)),
        )
        const databases = auxiliaries.flatMap(({ databases }) => databases)
        return {
          wrangler: { configPath: './wrangler.toml' },
          miniflare: {
            bindings: {
              ...all.gateway,
              OTEL_EXPORTER_OTLP_ENDPOINT: '',
              // A key's limiter object can take more than production's second to answer on a loaded
              // 2-core machine (above all its first call in a file's own runtime): login and the other
              // fail-closed routes would then answer 503 (docs/adr/0077). The limiter's own tests set
              // their timeouts themselves.
              RATE_LIMIT_TIMEOUT_MS: '10000',
              TEST_MIGRATIONS: Object.fromEntries(databases.map(({ binding, migrations }) => [binding, migrations])),
              // test/cross/fuzz.test.ts: FUZZ_SEED and FUZZ_RUNS from the shell replay or lengthen a run.
              ...(process.env.FUZZ_SEED ? { TEST_FUZZ_SEED: process.env.FUZZ_SEED } : {}),
              ...(process.env.FUZZ_RUNS ? { TEST_FUZZ_RUNS: process.env.FUZZ_RUNS } : {}),
            },
            d1Databases: Object.fromEntries(databases.map(({ binding, id }) => [binding, id])),
            workers: auxiliaries.map(({ worker }) => worker),
          },
        }
      }),
    ],
    test: {
      name,
      include: isolated ? ISOLATED_CROSS_FILES : CROSS_FILES,
      exclude: ['**/*.unit.test.ts', ...(isolated ? [] : ISOLATED_CROSS_FILES)],
      setupFiles: ['./test/support/apply-migrations.ts'],
      isolate: isolated,
      testTimeout,
    },
  }
}

// End to end: the system started exactly as `npm start` starts it, driven over HTTP.
const e2eProject = {
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['./test/e2e/start-system.ts'],
    // One system, shared state (fault injection is global): files run one after another.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
}

// Every Worker built for production, within the platform's size limits.
const buildProject = {
  test: { name: 'build', include: ['test/build/**/*.test.ts'], environment: 'node', testTimeout: 120_000 },
}

export default defineConfig({
  test: {
    // Two test files at a time on a 2-core machine (vitest's default leaves one core idle): a
    // file spends much of its time waiting on workerd, queues and alarms.
    maxWorkers: 2,
    // Console output of a passed test stays off the terminal; a failed test shows its own.
    silent: showLogs ? false : 'passed-only',
    reporters: ['default', new WorkerLogsReporter()],
    projects: [
      unitProject,
      // Platform modules that need the runtime (a real D1) run in the users project.
      serviceProject('users', { sharedRuntime: true, include: ['platform/**/*.test.ts'] }),
      serviceProject('inventory', { sharedRuntime: true }),
      serviceProject('payments', { sharedRuntime: true }),
      serviceProject('notifications', { sharedRuntime: true }),
      serviceProject('orders', {
        sharedRuntime: true,
        auxiliaries: ['inventory', 'payments'],
        include: ['durable-objects/saga-coordinator/**/*.test.ts'],
      }),
      gatewayProject('gateway', { isolated: false }),
      gatewayProject('gateway-isolated', { isolated: true }),
      e2eProject,
      buildProject,
    ],
  },
})
