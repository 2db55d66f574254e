// The deployment plan of one environment, read from the Worker list (scripts/workers.mjs) and
// each Worker's wrangler.toml section for that environment: nothing here names a service.
import { unstable_readConfig } from 'wrangler'
import { WORKERS } from '../workers.mjs'
import { keyPairsFor } from './keys.mjs'

export const ENVIRONMENTS = ['staging', 'production']

/**
 * Every Worker's configuration for `env`, as wrangler reads it (wrangler's warnings muted):
 * `{ name, file, config }`, `file` the wrangler.toml. Reads again what it answered before.
 */
export function readWorkers(env, workers = WORKERS) {
  return workers.map(({ name, file, config: path }) => {
    const source = file ?? path
    const config = unstable_readConfig({ config: source, env }, { hideWarnings: true })
    if (!config.name?.endsWith(`-${env}`)) throw new Error(`${source}: no [env.${env}] section naming its Worker "<name>-${env}"`)
    return { name, file: source, config }
  })
}

/**
 * A D1 database's name: the project, the service, the shard (none for `DB`, `<i>` for `DB_<i>`,
 * platform/db/shards.ts) and the environment, as every wrangler.toml names them.
 */
export const databaseName = (service, binding, env) =>
  binding === 'DB' ? `edge-commerce-${service}-${env}` : `edge-commerce-${service}-${binding.slice('DB_'.length)}-${env}`

/** The KV namespace's title: the project, the Worker, the binding and the environment. */
export const kvTitle = (worker, binding, env) => `edge-commerce-${worker}-${binding.toLowerCase()}-${env}`

/** Every resource of the environment, each once, in the order they are made. */
function resourcesOf(workers, env) {
  const databases = workers.flatMap(({ name, config }) =>
    config.d1_databases.map((db) => ({
      kind: 'd1',
      worker: name,
      binding: db.binding,
      name: db.database_name,
      id: db.database_id ?? null,
    })),
  )
  const namespaces = workers.flatMap(({ name, config }) =>
    config.kv_namespaces.map((kv) => ({
      kind: 'kv',
      worker: name,
      binding: kv.binding,
      name: kvTitle(name, kv.binding, env),
      id: kv.id ?? null,
    })),
  )
  const queueNames = new Set()
  for (const { config } of workers) {
    for (const producer of config.queues.producers ?? []) queueNames.add(producer.queue)
    for (const consumer of config.queues.consumers ?? []) {
      queueNames.add(consumer.queue)
      if (consumer.dead_letter_queue) queueNames.add(consumer.dead_letter_queue)
    }
  }
  const queues = [...queueNames].sort().map((name) => ({ kind: 'queue', name }))
  return [...databases, ...namespaces, ...queues]
}

/**
 * Deploy order: a Worker after every Worker its service bindings name, so each binding's target
 * exists when it is deployed; the rest keep the list's order. The gateway, bound to all, is last.
 */
export function deployOrder(workers) {
  const byScript = new Map(workers.map((worker) => [worker.config.name, worker]))
  const done = new Set()
  const order = []
  function visit(worker, path = []) {
    if (done.has(worker.name)) return
    if (path.includes(worker.name)) throw new Error(`service bindings form a cycle: ${[...path, worker.name].join(' → ')}`)
    for (const binding of worker.config.services ?? []) {
      const target = byScript.get(binding.service)
      if (!target)
        throw new Error(`${worker.config.name} binds ${binding.binding} to "${binding.service}", which is not a Worker of this environment`)
      visit(target, [...path, worker.name])
    }
    done.add(worker.name)
    order.push(worker)
  }
  for (const worker of workers) visit(worker)
  return order
}

/** The secrets each Worker gets: the private halves of its key pairs, and the collector's settings if given. */
function secretsOf(workers, otel) {
  const pairs = keyPairsFor(workers)
  return workers.map(({ name, config }) => ({
    worker: name,
    script: config.name,
    names: [...pairs.filter((pair) => pair.holder === name).map((pair) => pair.secret), ...otel],
  }))
}

/**
 * The whole plan: resources, key pairs, secrets (by name), migrations (per database, before
 * its Worker deploys) and the deploys in order.
 * `otel`: the collector settings given in the deployer's environment (names only).
 */
export function buildPlan(env, { workers = readWorkers(env), otel = [] } = {}) {
  if (!ENVIRONMENTS.includes(env)) throw new Error(`--env must be one of ${ENVIRONMENTS.join(', ')}`)
  return {
    env,
    workers,
    resources: resourcesOf(workers, env),
    keyPairs: keyPairsFor(workers),
    secrets: secretsOf(workers, otel),
    migrations: workers.flatMap(({ name, config }) =>
      config.d1_databases
        .filter((db) => db.migrations_dir)
        .map((db) => ({ worker: name, binding: db.binding, database: db.database_name })),
    ),
    deploys: deployOrder(workers).map(({ name, config }) => ({ worker: name, script: config.name })),
  }
}
