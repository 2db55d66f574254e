import { z } from 'zod'
import { FaultConfigSchema } from './faults'
import { SERVICES } from './route'

// Response shapes of routes whose services built them ad hoc: written once here, so the
// OpenAPI document (./openapi.ts) describes what the code answers.

/** A list page: `?limit=&cursor=` → `{ items, next_cursor }`. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() })
}

const ServiceHealthSchema = z.enum(['ok', 'down'])
export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  services: z.object(
    Object.fromEntries(SERVICES.map((service) => [service, ServiceHealthSchema])) as Record<
      (typeof SERVICES)[number],
      typeof ServiceHealthSchema
    >,
  ),
})
export type Health = z.infer<typeof HealthSchema>

/** A public signing key (RFC 7517); only what verifiers need, never private members. */
export const JwkSchema = z.looseObject({ kty: z.string(), kid: z.string(), alg: z.string().optional(), use: z.string().optional() })
export const JwksSchema = z.object({ keys: z.array(JwkSchema) })

const BreakerStateSchema = z.object({
  state: z.enum(['closed', 'open', 'half_open']),
  failure_rate: z.number().min(0).max(1),
  retry_after_s: z.number().int().min(0),
})

/**
 * A downstream's breakers: one for its reads (GET, HEAD) and one for its writes, so a failing
 * write path never refuses reads. The top-level state is the worse of the two (open, then
 * half_open, then closed), with that breaker's failure rate and retry time.
 */
export const CircuitBreakerSchema = BreakerStateSchema.extend({
  service: z.enum(SERVICES),
  classes: z.object({ read: BreakerStateSchema, write: BreakerStateSchema }),
})
export type CircuitBreakerView = z.infer<typeof CircuitBreakerSchema>

/** A message that exhausted its retries, as the admin API shows it: ids are `<service>:<message id>`. */
export const DeadLetterSchema = z.object({
  id: z.string(),
  service: z.string(),
  event_id: z.string().nullable(),
  event_type: z.string().nullable(),
  attempts: z.number().int(),
  received_at: z.string(),
  replayed_at: z.string().nullable(),
  body: z.unknown(),
})
export type DeadLetterView = z.infer<typeof DeadLetterSchema>

/** The fault a service now injects (`PUT /api/v1/admin/faults/{service}`): its configuration, and which service. */
export const FaultStateSchema = FaultConfigSchema.extend({ service: z.enum(SERVICES) })
export type FaultState = z.infer<typeof FaultStateSchema>

/** This API's own OpenAPI document (`GET /openapi.json`): what a client may rely on, the rest is OpenAPI 3.1. */
export const OpenApiDocumentSchema = z.looseObject({
  openapi: z.literal('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.looseObject({})),
  components: z.looseObject({}),
})
