import { instrumentWorker } from '../../../platform/telemetry/tracing'
import { drainOutbox } from '../../../platform/events/outbox'
import { app } from './app'
import type { Env } from './env'
import { maintainPayments } from './maintenance'

import { traceEntrypoint } from '../../../platform/telemetry/trace-entrypoint'
import { PaymentsRpc as PaymentsRpcClass } from './rpc'

/** Charge and refund over RPC, each call a span continuing the caller's trace. */
export const PaymentsRpc = traceEntrypoint('payments', 'PaymentsRpc', PaymentsRpcClass)

export default instrumentWorker('payments', {
  fetch: app.fetch,
  /** The outbox sweep (cron): sends whatever the relay after a write could not; keeps the tables bounded (./maintenance). */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(drainOutbox(env.DB, env).then(() => undefined))
    ctx.waitUntil(maintainPayments(env))
  },
} satisfies ExportedHandler<Env>)
