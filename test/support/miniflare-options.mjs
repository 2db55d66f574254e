// One Worker of the system as Miniflare worker options, from its production bundle: shared by
// the vitest projects (auxiliary Workers, vitest.config.ts) and the benchmarks (bench/run.mjs).
import { unstable_getMiniflareWorkerOptions } from 'wrangler'
import { buildWorker } from './build.mjs'

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
 */
export function productionWorkerOptions({ name, config }, outdir, vars, keys = WORKER_OPTION_KEYS) {
  buildWorker(config, outdir)
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config)
  const options = Object.fromEntries(keys.flatMap((key) => (key in workerOptions ? [[key, workerOptions[key]]] : [])))
  return {
    ...options,
    name,
    modules: true,
    scriptPath: `${outdir}/index.js`,
    bindings: { ...options.bindings, ...vars, OTEL_EXPORTER_OTLP_ENDPOINT: '' },
  }
}
