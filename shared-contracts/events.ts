import { z } from 'zod'

/** Every event type is `<prefix>.<entity>.<past-tense verb>.v<N>`. */
export const EVENT_TYPE_PREFIX = 'com.edgecommerce'

/**
 * CloudEvents 1.0, structured JSON mode, with the Distributed Tracing extension (`traceparent`).
 * Consumers parse with this and the data schema of the type; unknown fields are ignored.
 */
export const CloudEventSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  time: z.string(),
  subject: z.string().optional(),
  datacontenttype: z.literal('application/json'),
  data: z.unknown(),
  traceparent: z.string().optional(),
})
export type CloudEvent<T = unknown> = Omit<z.infer<typeof CloudEventSchema>, 'data'> & { data: T }

export const UserRegisteredV1 = z.object({ user_id: z.string(), email: z.string(), name: z.string() })

/**
 * An account was deleted: every service removes or anonymises what it holds of the person.
 * It names the user only (their email and name are already gone from users).
 */
export const UserDeletedV1 = z.object({ user_id: z.string(), deleted_at: z.string() })

/**
 * What replaces a deleted user's id wherever a business record is kept (orders, payments): one
 * value for every deleted account, so the kept records cannot be linked to one another or to a
 * person. No account has it (user ids are `usr_` and 32 hex digits).
 */
export const DELETED_USER_ID = 'usr_deleted'

const ProductSnapshot = z.object({
  product_id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  price_cents: z.number().int(),
  currency: z.string(),
  /** Grows with every change: a consumer keeps the highest it has seen. */
  version: z.number().int(),
})
export const ProductCreatedV1 = ProductSnapshot
export const ProductUpdatedV1 = ProductSnapshot

export const StockChangedV1 = z.object({
  product_id: z.string(),
  on_hand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  version: z.number().int(),
})

export const PaymentCapturedV1 = z.object({
  payment_id: z.string(),
  order_id: z.string(),
  amount_cents: z.number().int(),
  currency: z.string(),
})
export const PaymentRefundedV1 = PaymentCapturedV1

/** Every order event carries the whole order as it is after the change (event-carried state). */
export const OrderSnapshotV1 = z.object({
  order_id: z.string(),
  user_id: z.string(),
  status: z.enum(['pending', 'confirmed', 'cancelled']),
  items: z.array(z.object({ product_id: z.string(), quantity: z.number().int(), unit_price_cents: z.number().int() })),
  total_cents: z.number().int(),
  currency: z.string(),
  cancellation_reason: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** 1 when placed, +1 per transition: a read model keeps the highest it has seen. */
  version: z.number().int(),
})
export const OrderPlacedV1 = OrderSnapshotV1
export const OrderConfirmedV1 = OrderSnapshotV1
export const OrderCancelledV1 = OrderSnapshotV1

/** The data schema of every event type, by type. Types only ever gain fields. */
export const EVENT_SCHEMAS = {
  [`${EVENT_TYPE_PREFIX}.user.registered.v1`]: UserRegisteredV1,
  [`${EVENT_TYPE_PREFIX}.user.deleted.v1`]: UserDeletedV1,
  [`${EVENT_TYPE_PREFIX}.product.created.v1`]: ProductCreatedV1,
  [`${EVENT_TYPE_PREFIX}.product.updated.v1`]: ProductUpdatedV1,
  [`${EVENT_TYPE_PREFIX}.stock.changed.v1`]: StockChangedV1,
  [`${EVENT_TYPE_PREFIX}.payment.captured.v1`]: PaymentCapturedV1,
  [`${EVENT_TYPE_PREFIX}.payment.refunded.v1`]: PaymentRefundedV1,
  [`${EVENT_TYPE_PREFIX}.order.placed.v1`]: OrderPlacedV1,
  [`${EVENT_TYPE_PREFIX}.order.confirmed.v1`]: OrderConfirmedV1,
  [`${EVENT_TYPE_PREFIX}.order.cancelled.v1`]: OrderCancelledV1,
} as const

export type EventType = keyof typeof EVENT_SCHEMAS
export type EventData<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>

export const EVENT_TYPES = {
  userRegistered: `${EVENT_TYPE_PREFIX}.user.registered.v1`,
  userDeleted: `${EVENT_TYPE_PREFIX}.user.deleted.v1`,
  productCreated: `${EVENT_TYPE_PREFIX}.product.created.v1`,
  productUpdated: `${EVENT_TYPE_PREFIX}.product.updated.v1`,
  stockChanged: `${EVENT_TYPE_PREFIX}.stock.changed.v1`,
  paymentCaptured: `${EVENT_TYPE_PREFIX}.payment.captured.v1`,
  paymentRefunded: `${EVENT_TYPE_PREFIX}.payment.refunded.v1`,
  orderPlaced: `${EVENT_TYPE_PREFIX}.order.placed.v1`,
  orderConfirmed: `${EVENT_TYPE_PREFIX}.order.confirmed.v1`,
  orderCancelled: `${EVENT_TYPE_PREFIX}.order.cancelled.v1`,
} as const satisfies Record<string, EventType>

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_SCHEMAS, type)
}
