import { instrumentWorker } from '../../../platform/telemetry/tracing'
import { app } from './app'
import type { Env } from './env'
import { handleQueue } from './events/queue'

import { traceEntrypoint } from '../../../platform/telemetry/trace-entrypoint'
import { PaymentsRpc as PaymentsRpcClass } from './rpc/payments-rpc'

/** Charge and refund over RPC, each call a span continuing the caller's trace. */
export const PaymentsRpc = traceEntrypoint('payments', 'PaymentsRpc', PaymentsRpcClass)

// No cron of its own: the gateway's asks for its sweep (./events/sweep.ts) over the service binding.
export default instrumentWorker('payments', {
  fetch: app.fetch,
  /** user.deleted (shared-contracts/subscriptions.ts), and its dead letters. */
  async queue(batch, env) {
    await handleQueue(batch, env)
  },
} satisfies ExportedHandler<Env>)
