import { Hono } from 'hono'
import { validated } from '../../../../platform/http/validated'
import { rebuildOrdersReadModel, replayEvents } from '../../../../shared-contracts/api/admin'
import { producersFor, type RebuildResult, type ReplayResult } from '../../../../shared-contracts/operations'
import type { GatewayEnv } from '../services'

/**
 * Operations the gateway fans out. `POST /api/v1/admin/events/replay`: each producer keeps its sent events for the retention
 * window and replays its own outbox (database per service), so the gateway asks the producers
 * the request names — by `service`, by `type`, or all — and adds up what they re-published.
 */
/** Replays and rebuilds may take long on a big window: far beyond a request's usual 5 s. */
const OPERATION_TIMEOUT_MS = 60_000

export const operationsRoutes = new Hono<GatewayEnv>()

operationsRoutes.post(replayEvents.path, validated(replayEvents), async (c) => {
  const request = c.req.valid('json')
  const caller = { principal: c.var.principal, requestId: c.var.requestId }
  const counts = await Promise.all(
    producersFor(request).map(async (service) => {
      const response = await c.var.services.call(service, '/internal/events/replay', {
        method: 'POST',
        body: request,
        caller,
        timeoutMs: OPERATION_TIMEOUT_MS,
      })
      if (!response.ok) throw new Error(`${service} answered ${response.status} to a replay`)
      return ((await response.json()) as ReplayResult).replayed
    }),
  )
  return c.json({ replayed: counts.reduce((sum, count) => sum + count, 0) } satisfies ReplayResult, 202)
})

/** `POST /api/v1/admin/read-models/orders/rebuild`: orders recomputes its read model from the aggregate. */
operationsRoutes.post(rebuildOrdersReadModel.path, validated(rebuildOrdersReadModel), async (c) => {
  const caller = { principal: c.var.principal, requestId: c.var.requestId }
  const response = await c.var.services.call('orders', '/internal/read-models/orders/rebuild', {
    method: 'POST',
    caller,
    timeoutMs: OPERATION_TIMEOUT_MS,
  })
  if (!response.ok) throw new Error(`orders answered ${response.status} to a rebuild`)
  return c.json((await response.json()) as RebuildResult, 202)
})
