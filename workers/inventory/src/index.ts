import { instrumentWorker } from '../../../platform/telemetry/tracing'
import { app } from './app'
import type { Env } from './env'

import { traceEntrypoint } from '../../../platform/telemetry/trace-entrypoint'
import { InventoryRpc as InventoryRpcClass } from './rpc/inventory-rpc'

/** Stock operations over RPC, each call a span continuing the caller's trace. */
export const InventoryRpc = traceEntrypoint('inventory', 'InventoryRpc', InventoryRpcClass)

// No cron of its own: the gateway's asks for its sweep (./events/sweep.ts) over the service binding.
export default instrumentWorker('inventory', {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>)
