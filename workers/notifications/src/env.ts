import type { Caller } from '../../../platform/auth/internal-credential'
import type { NotificationsService } from './service/notifications-service'

/** Bindings from workers/notifications/wrangler.toml, its secrets, and `.dev.vars` in local development. */
export interface Env {
  /** Days sent outbox and inbox rows are kept (the replay window); default 7. */
  EVENT_RETENTION_DAYS?: string
  DB: D1Database
  /** Its own queue: dead-letter replays are sent back here. */
  EVENTS_NOTIFICATIONS: Queue
  ENVIRONMENT: string
  /** `enabled` only in local development: fault injection (platform/faults). */
  FAULT_INJECTION?: string
  SERVICE_NAME: string
  /** Empty: the sandbox adapter. Otherwise notifications are POSTed here (it may carry a token: never logged). */
  NOTIFICATION_WEBHOOK_URL?: string
  /** Comma-separated hosts the webhook URL may name (SSRF allow-list; delivery/webhook-url.ts). */
  NOTIFICATION_WEBHOOK_ALLOWED_HOSTS?: string
  /** Base of the consumer's exponential retry delay, in seconds. */
  RETRY_BASE_SECONDS?: string
  GATEWAY_PUBLIC_KEYS?: string
}

export interface NotificationsEnv {
  Bindings: Env
  Variables: {
    requestId: string
    caller: Caller
    services: { notifications: NotificationsService }
  }
}
