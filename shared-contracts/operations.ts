import { z } from 'zod'
import { EVENT_TYPES, type EventType } from './events'

/**
 * Which service publishes which event types (each from its own outbox): a replay for a type
 * asks only its producer, a replay for a service only that service.
 */
export const EVENT_PRODUCERS = {
  users: [EVENT_TYPES.userRegistered],
  inventory: [EVENT_TYPES.productCreated, EVENT_TYPES.productUpdated, EVENT_TYPES.stockChanged],
  orders: [EVENT_TYPES.orderPlaced, EVENT_TYPES.orderConfirmed, EVENT_TYPES.orderCancelled],
  payments: [EVENT_TYPES.paymentCaptured, EVENT_TYPES.paymentRefunded],
} as const satisfies Record<string, readonly EventType[]>

export type Producer = keyof typeof EVENT_PRODUCERS
export const PRODUCERS = Object.keys(EVENT_PRODUCERS) as Producer[]
const PUBLISHED = Object.values(EVENT_PRODUCERS).flat() as EventType[]

/** The producers a replay asks: the one named, the one of the type, or all. */
export function producersFor(request: { service?: Producer; type?: EventType }): Producer[] {
  return PRODUCERS.filter(
    (producer) =>
      (!request.service || producer === request.service) &&
      (!request.type || (EVENT_PRODUCERS[producer] as readonly string[]).includes(request.type)),
  )
}

/** `POST /api/v1/admin/events/replay`: re-publish retained outbox events created at or after `since`. */
export const ReplayRequestSchema = z
  .strictObject({
    since: z.iso.datetime({ offset: true }),
    service: z.enum(PRODUCERS).optional(),
    type: z.enum(PUBLISHED as [EventType, ...EventType[]]).optional(),
  })
  .refine((request) => producersFor(request).length > 0, { message: 'this service does not publish this type', path: ['type'] })
export type ReplayRequest = z.infer<typeof ReplayRequestSchema>

export const ReplayResultSchema = z.object({ replayed: z.number().int().min(0) })
export type ReplayResult = z.infer<typeof ReplayResultSchema>

/** `POST /api/v1/admin/read-models/orders/rebuild`: how many view rows the rebuild wrote. */
export const RebuildResultSchema = z.object({ rebuilt: z.number().int().min(0) })
export type RebuildResult = z.infer<typeof RebuildResultSchema>
