import type { Caller } from '../../../platform/auth/internal-credential'
import type { InventoryServices } from './services'

/** Bindings from workers/inventory/wrangler.toml, its secrets, and `.dev.vars` in local development. */
export interface Env {
  DB: D1Database
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
