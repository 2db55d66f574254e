import type { Caller } from '../../../platform/auth/internal-credential'
import type { CacheEnv } from '../../../platform/cache/options'
import type { InventoryServices } from './inventory-services'

/** Bindings from workers/inventory/wrangler.toml, its secrets, and `.dev.vars` in local development. */
export interface Env extends CacheEnv {
  /** Days sent outbox and inbox rows are kept (the replay window); default 7. */
  EVENT_RETENTION_DAYS?: string
  DB: D1Database
  /** L2 of the product cache (platform/cache). */
  CACHE: KVNamespace
  /** Its own queue: product and stock events invalidate the product cache; dead-letter replays go back here. */
  EVENTS_INVENTORY: Queue
  /** One data point per cached read (platform/cache/metrics); absent → not recorded. */
  METRICS?: AnalyticsEngineDataset
  /** Retry backoff base (seconds) of the cache-invalidation consumer. */
  RETRY_BASE_SECONDS?: string
  ENVIRONMENT: string
  /** `enabled` only in local development: fault injection (platform/faults). */
  FAULT_INJECTION?: string
  SERVICE_NAME: string
  /** JWKS of the gateway's credential keys: every HTTP route checks the gateway credential. */
  GATEWAY_PUBLIC_KEYS?: string
  /** `{ "orders": { "keys": [...] } }`: who may call InventoryRpc, with which public keys. */
  TRUSTED_CALLERS?: string
}

export interface InventoryEnv {
  Bindings: Env
  Variables: {
    requestId: string
    caller: Caller
    services: InventoryServices
  }
}
