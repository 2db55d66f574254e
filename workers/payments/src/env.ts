import type { RpcGuardBindings } from '../../../platform/rpc/guard'

/**
 * The payments Worker's bindings: everything its wrangler.toml declares comes from `wrangler types`
 * (../worker-configuration.d.ts, `npm run types`); below are only what the config cannot
 * declare: secrets, and the optional vars a `.dev.vars` or a deployed environment sets.
 */
export interface Env extends PaymentsBindings, RpcGuardBindings {
  /** Days sent outbox and inbox rows are kept (the replay window); default 7. */
  EVENT_RETENTION_DAYS?: string
  /** `enabled` only in local development: fault injection (platform/faults). */
  FAULT_INJECTION?: string
  /** JWKS of the gateway's credential-signing keys: every HTTP route checks the gateway credential. */
  GATEWAY_PUBLIC_KEYS?: string
}
