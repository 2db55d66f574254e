import { instrumentWorker } from '../../../platform/telemetry/tracing'
import { drainOutbox } from '../../../platform/events/outbox'
import { app } from './app'
import type { Env } from './env'
import { handleQueue } from './events/queue'

import { traceEntrypoint } from '../../../platform/telemetry/trace-entrypoint'
import { PaymentsRpc as PaymentsRpcClass } from './rpc'

/** Charge and refund over RPC, each call a span continuing the caller's trace. */
export const PaymentsRpc = traceEntrypoint('payments', 'PaymentsRpc', PaymentsRpcClass)

export default instrumentWorker('payments', {
  fetch: app.fetch,
  /** user.deleted (shared-contracts/subscriptions.ts), and its dead letters. */
  async queue(batch, env) {
    await handleQueue(batch, env)
  },
  /** The outbox sweep (cron): sends whatever the relay after a write could not. */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(drainOutbox(env.DB, env).then(() => undefined))
  },
} satisfies ExportedHandler<Env>)
