import type { Caller } from '../../../platform/auth/internal-credential'
import type { RpcGuardBindings } from '../../../platform/rpc/guard'
import type { PaymentsService } from './service/payments-service'

/** Bindings from workers/payments/wrangler.toml and its secrets. */
export interface Env extends RpcGuardBindings {
  /** Days sent outbox and inbox rows are kept (the replay window); default 7. */
  EVENT_RETENTION_DAYS?: string
  DB: D1Database
  ENVIRONMENT: string
  /** `enabled` only in local development: fault injection (platform/faults). */
  FAULT_INJECTION?: string
  SERVICE_NAME: string
  /** Which provider adapter charges: `sandbox` (provider/select.ts). */
  PAYMENT_PROVIDER: string
  /** Its own queue (user.deleted); dead-letter replays go back here. */
  EVENTS_PAYMENTS: Queue
  /** Consumer retry backoff base (seconds). */
  RETRY_BASE_SECONDS?: string
  /** JWKS of the gateway's credential-signing keys. */
  GATEWAY_PUBLIC_KEYS?: string
}

export interface PaymentsEnv {
  Bindings: Env
  Variables: {
    requestId: string
    caller: Caller
    services: { payments: PaymentsService }
  }
}
