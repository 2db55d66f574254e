// The Workers of the system, in one list: start-up, migrations, builds and tests read it.
// Adding a service means adding a row here (see the README, "Adding a service").
export const WORKERS = [
  { name: 'gateway', config: 'wrangler.toml' },
  { name: 'users', config: 'workers/users/wrangler.toml', database: 'users' },
]

/** Local dev and tests never reach the network. */
export const OFFLINE_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' }
