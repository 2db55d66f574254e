import { instrumentWorker } from '../../../platform/telemetry/tracing'
import { drainOutbox } from '../../../platform/events/outbox'
import { app } from './app'
import type { Env } from './env'
import { maintainInventory } from './maintenance'
import { handleQueue } from './events/queue'

import { traceEntrypoint } from '../../../platform/telemetry/trace-entrypoint'
import { InventoryRpc as InventoryRpcClass } from './rpc/inventory-rpc'

/** Stock operations over RPC, each call a span continuing the caller's trace. */
export const InventoryRpc = traceEntrypoint('inventory', 'InventoryRpc', InventoryRpcClass)

export default instrumentWorker('inventory', {
  fetch: app.fetch,

  /** inventory-events invalidates the product cache; inventory-events-dlq keeps what exhausted its retries. */
  async queue(batch, env) {
    await handleQueue(batch, env)
  },

  /** The outbox sweep (cron): sends whatever the relay after a response could not; keeps the tables bounded (./maintenance). */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(drainOutbox(env.DB, env).then(() => undefined))
    ctx.waitUntil(maintainInventory(env))
  },
} satisfies ExportedHandler<Env>)
