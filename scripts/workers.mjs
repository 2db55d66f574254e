// The Workers of the system, in one list: start-up, migrations, builds and tests read it.
// Adding a service means adding a row here (see docs/architecture.md, "Adding a service").
export const WORKERS = [
  { name: 'gateway', config: 'wrangler.toml' },
  { name: 'users', config: 'workers/users/wrangler.toml', database: 'users' },
  { name: 'inventory', config: 'workers/inventory/wrangler.toml', database: 'inventory' },
  { name: 'payments', config: 'workers/payments/wrangler.toml', database: 'payments' },
  { name: 'notifications', config: 'workers/notifications/wrangler.toml', database: 'notifications' },
  // After inventory and payments: its saga calls them over RPC bindings.
  { name: 'orders', config: 'workers/orders/wrangler.toml', database: 'orders' },
]

/** Local dev and tests never reach the network. */
export const OFFLINE_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' }

/**
 * Runs wrangler on the Node that runs this script (the project's Node 24 under npm scripts),
 * never on whatever `node` comes first on PATH.
 */
export const WRANGLER = [process.execPath, 'node_modules/wrangler/bin/wrangler.js']

/**
 * The D1 bindings in a Worker's wrangler.toml (its top level: local development and tests), in
 * order: `DB`, then a sharded database's `DB_1` … (platform/db/shards.ts). None for a Worker
 * without a database. wrangler is loaded only when this is called.
 */
export async function d1BindingsOf(name) {
  const worker = WORKERS.find((entry) => entry.name === name)
  if (!worker?.database) return []
  const { unstable_readConfig } = await import('wrangler')
  return unstable_readConfig({ config: worker.config }, { hideWarnings: true }).d1_databases.map((db) => db.binding)
}
