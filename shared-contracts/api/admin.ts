import { z } from 'zod'
import { CircuitBreakerSchema, DeadLetterSchema, FaultStateSchema, pageSchema } from '../api-schemas'
import { EXAMPLES } from '../api-examples'
import { FaultConfigSchema } from '../faults'
import { RebuildResultSchema, ReplayRequestSchema, ReplayResultSchema } from '../operations'
import { ListQuerySchema } from '../pagination'
import { ADMIN, route, SERVICES } from '../route'

// Operations the gateway serves itself, fanning out to the services.

export const listDeadLetters = route({
  method: 'GET',
  path: '/api/v1/admin/dead-letters',
  service: 'gateway',
  access: ADMIN,
  summary: 'Messages that exhausted their retries, in every service',
  description: 'Newest first across every subscriber; pages with `limit` and `cursor` like every list.',
  tag: 'Admin',
  query: ListQuerySchema,
  success: { status: 200, schema: pageSchema(DeadLetterSchema), example: { items: [EXAMPLES.deadLetter], next_cursor: null } },
})

export const replayDeadLetter = route({
  method: 'POST',
  path: '/api/v1/admin/dead-letters/:id/replay',
  service: 'gateway',
  access: ADMIN,
  summary: 'Send a dead letter through its consumer again',
  tag: 'Admin',
  success: { status: 200, schema: DeadLetterSchema, example: EXAMPLES.deadLetter },
  errors: ['not_found', 'conflict'],
})

export const listCircuitBreakers = route({
  method: 'GET',
  path: '/api/v1/admin/circuit-breakers',
  service: 'gateway',
  access: ADMIN,
  summary: "Every downstream service's circuit breaker",
  tag: 'Admin',
  success: { status: 200, schema: pageSchema(CircuitBreakerSchema), example: { items: [EXAMPLES.breaker], next_cursor: null } },
})

// Recovery: re-publish retained events (each producer replays its outbox), recompute the orders read model.
export const replayEvents = route({
  method: 'POST',
  path: '/api/v1/admin/events/replay',
  service: 'gateway',
  access: ADMIN,
  summary: 'Re-publish retained events to their subscribers',
  description:
    'Every producer keeps its sent events for the retention window (`EVENT_RETENTION_DAYS`, 7 days) and re-publishes those created at or after `since`, of one `service` and one `type` when given. Consumers deduplicate, so a replay changes nothing already applied and fills in what was lost.',
  tag: 'Admin',
  body: {
    schema: ReplayRequestSchema,
    example: { since: '2026-01-01T00:00:00Z', service: 'orders', type: 'com.edgecommerce.order.confirmed.v1' },
  },
  success: { status: 202, schema: ReplayResultSchema, example: { replayed: 42 } },
})

export const rebuildOrdersReadModel = route({
  method: 'POST',
  path: '/api/v1/admin/read-models/orders/rebuild',
  service: 'gateway',
  access: ADMIN,
  summary: 'Recompute the orders read model from the aggregate',
  description:
    'Writes every view row that is missing, behind or different; never one that is ahead (an event newer than the read). `rebuilt` counts the rows written.',
  tag: 'Admin',
  success: { status: 202, schema: RebuildResultSchema, example: { rebuilt: 3 } },
})

// Answers 404 unless FAULT_INJECTION is enabled (local development only).
export const setFault = route({
  method: 'PUT',
  path: '/api/v1/admin/faults/:service',
  service: 'gateway',
  access: ADMIN,
  summary: 'Inject faults into a service (local development only)',
  description: 'Exists only where the `FAULT_INJECTION` var is `enabled`; a 404 everywhere else.',
  tag: 'Admin',
  params: z.object({ service: z.enum(SERVICES) }),
  body: { schema: FaultConfigSchema, example: { mode: 'error', rate: 0.5 } },
  success: { status: 200, schema: FaultStateSchema, example: { service: 'payments', mode: 'error', rate: 0.5 } },
  errors: ['not_found'],
})
