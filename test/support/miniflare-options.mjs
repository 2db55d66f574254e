// One Worker of the system as Miniflare worker options, from its production bundle: shared by
// the vitest projects (auxiliary Workers, vitest.config.ts) and the benchmarks (bench/run.mjs).
import { readdirSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { unstable_getMiniflareWorkerOptions } from 'wrangler'
import { buildWorker } from './build.mjs'

const HASHED = /^[0-9a-f]{40}-(.+)$/

/**
 * The bundle as a module list: `index.js`, and beside it each module wrangler attached through a
 * [[rules]] entry (written as `<hash>-<name>`), typed by the rule whose glob names that file.
 */
function bundleModules(outdir, rules = []) {
  const modules = [{ type: 'ESModule', path: resolve(outdir, 'index.js') }]
  for (const file of readdirSync(outdir)) {
    const name = HASHED.exec(file)?.[1]
    if (!name) continue
    const rule = rules.find(({ include }) => include.some((glob) => basename(glob) === name))
    if (!rule) throw new Error(`${outdir}/${file}: no [[rules]] entry says what kind of module it is`)
    modules.push({ type: rule.type, path: resolve(outdir, file) })
  }
  return modules
}

/** The options read from a wrangler.toml that a Worker needs beside its bundle. */
export const WORKER_OPTION_KEYS = [
  'compatibilityDate',
  'compatibilityFlags',
  'bindings',
  'd1Databases',
  'kvNamespaces',
  'queueProducers',
  'queueConsumers',
  'serviceBindings',
  'durableObjects',
  'triggers',
]

/**
 * Builds the Worker of `config` into `outdir` (`wrangler deploy --dry-run`) and answers its
 * Miniflare worker options: the bindings, D1, KV, queues and Durable Objects of its wrangler.toml
 * (those in `keys`), with `vars` over its [vars] and tracing off.
 * @returns {any} worker options in Miniflare 4's shape (what the vitest plugin and
 *   `convertV4MiniflareOptions` take); typed loosely, as wrangler gives them.
 */
export function productionWorkerOptions({ name, config }, outdir, vars, keys = WORKER_OPTION_KEYS) {
  buildWorker(config, outdir)
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config)
  const options = Object.fromEntries(keys.flatMap((key) => (key in workerOptions ? [[key, workerOptions[key]]] : [])))
  return {
    ...options,
    name,
    modules: bundleModules(outdir, workerOptions.modulesRules),
    modulesRoot: resolve(outdir),
    bindings: { ...options.bindings, ...vars, OTEL_EXPORTER_OTLP_ENDPOINT: '' },
  }
}
