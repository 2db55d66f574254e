import type { Route } from '../../../shared-contracts/routes'
import type { Principal } from '../../../platform/auth/principal'
import type { GatewayServices } from './services'

/** Bindings from the root wrangler.toml, its secrets, and `.dev.vars` in local development. */
export interface Env {
  USERS: Fetcher
  INVENTORY: Fetcher
  PAYMENTS: Fetcher
  NOTIFICATIONS: Fetcher
  ENVIRONMENT: string
  JWT_ISSUER: string
  JWT_AUDIENCE: string
  CORS_ALLOWED_ORIGINS: string
  MAX_BODY_BYTES: string
  GATEWAY_PRIVATE_KEY?: string
  /** `enabled` only in local development: PUT /api/v1/admin/faults/{service}. */
  FAULT_INJECTION?: string
}

export interface GatewayEnv {
  Bindings: Env
  Variables: {
    requestId: string
    services: GatewayServices
    principal: Principal | null
    route: Route
  }
}
