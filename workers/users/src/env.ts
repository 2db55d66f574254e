import type { Caller } from '../../../platform/auth/internal-credential'
import type { UsersService } from './service/users-service'

/** Bindings from workers/users/wrangler.toml, its secrets, and `.dev.vars` in local development. */
export interface Env {
  /** Days sent outbox and inbox rows are kept (the replay window); default 7. */
  EVENT_RETENTION_DAYS?: string
  DB: D1Database
  /** The notifications service's queue: user.registered goes there (shared-contracts/subscriptions.ts). */
  EVENTS_NOTIFICATIONS: Queue
  ENVIRONMENT: string
  /** `enabled` only in local development: fault injection (platform/faults). */
  FAULT_INJECTION?: string
  SERVICE_NAME: string
  JWT_ISSUER: string
  JWT_AUDIENCE: string
  JWT_PRIVATE_KEY?: string
  JWT_PREVIOUS_PUBLIC_KEY?: string
  GATEWAY_PUBLIC_KEYS?: string
  ADMIN_EMAIL?: string
  ADMIN_PASSWORD?: string
}

export interface UsersEnv {
  Bindings: Env
  Variables: {
    requestId: string
    caller: Caller
    services: { users: UsersService }
  }
}
