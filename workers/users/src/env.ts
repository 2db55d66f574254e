import type { Caller } from '../../../platform/auth/internal-credential'
import type { AccountService } from './service/account-service'
import type { SessionsService } from './service/sessions-service'
import type { UsersService } from './service/users-service'

/** Bindings from workers/users/wrangler.toml, its secrets, and `.dev.vars` in local development. */
export interface Env {
  /** Days sent outbox and inbox rows are kept (the replay window); default 7. */
  EVENT_RETENTION_DAYS?: string
  DB: D1Database
  /** Subscribers' queues (shared-contracts/subscriptions.ts): user.registered to notifications, user.deleted to all three. */
  EVENTS_NOTIFICATIONS: Queue
  EVENTS_ORDERS: Queue
  EVENTS_PAYMENTS: Queue
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
    services: { users: UsersService; sessions: SessionsService; account: AccountService }
  }
}
