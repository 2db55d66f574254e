import { z } from 'zod'
import { MAX_ITEM_QUANTITY, MAX_ITEMS } from './inventory'
import { ListQuerySchema } from './pagination'

// The orders service's contract: placing and reading orders, and the saga log.

export const ORDER_STATUSES = ['pending', 'confirmed', 'cancelled'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** Why an order was cancelled; more may be added, never renamed. */
export const CANCELLATION_REASONS = ['out_of_stock', 'payment_declined', 'unknown_product', 'saga_failed'] as const
export type CancellationReason = (typeof CANCELLATION_REASONS)[number]

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255

export const PlaceOrderRequestSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        product_id: z.string().min(1).max(128),
        quantity: z.number().int('must be an integer').min(1).max(MAX_ITEM_QUANTITY),
      }),
    )
    .min(1, 'must contain at least one item')
    .max(MAX_ITEMS),
  payment_token: z.string().min(1).max(255),
})
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequestSchema>

export const OrderItemSchema = z.object({
  product_id: z.string(),
  quantity: z.number().int(),
  unit_price_cents: z.number().int(),
})
export type OrderItem = z.infer<typeof OrderItemSchema>

export const OrderSchema = z.object({
  id: z.string(),
  user_id: z.string(),
  status: z.enum(ORDER_STATUSES),
  items: z.array(OrderItemSchema),
  total_cents: z.number().int(),
  currency: z.string(),
  cancellation_reason: z.enum(CANCELLATION_REASONS).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
})
export type Order = z.infer<typeof OrderSchema>

/** v2: money as `{ amount, currency }` objects. */
export const MoneySchema = z.object({ amount: z.number().int(), currency: z.string() })
export const OrderV2Schema = z.object({
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  items: z.array(z.object({ product_id: z.string(), quantity: z.number().int(), unit_price: MoneySchema })),
  total: MoneySchema,
  cancellation_reason: z.enum(CANCELLATION_REASONS).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
})
export type OrderV2 = z.infer<typeof OrderV2Schema>

/**
 * What the PlaceOrder saga runs on: the priced order and how to pay for it. Orders hands it to
 * the order's saga coordinator when it starts the saga; the coordinator keeps it in its storage.
 */
export interface PlaceOrderSagaInput {
  order_id: string
  user_id: string
  items: OrderItem[]
  total_cents: number
  currency: string
  payment_token: string
}

export const SAGA_STATUSES = ['running', 'completed', 'compensating', 'compensated', 'failed'] as const
export type SagaStatus = (typeof SAGA_STATUSES)[number]
export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'compensated', 'compensation_failed'] as const
export type StepStatus = (typeof STEP_STATUSES)[number]

export const SagaStepSchema = z.object({
  name: z.string(),
  status: z.enum(STEP_STATUSES),
  attempts: z.number().int(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  error: z.string().nullable(),
  /** While the step waits to be retried after a transient failure: when its next attempt is due. */
  next_retry_at: z.string().nullable(),
})
export const SagaSchema = z.object({
  order_id: z.string(),
  status: z.enum(SAGA_STATUSES),
  steps: z.array(SagaStepSchema),
})
export type Saga = z.infer<typeof SagaSchema>

export const SagaListQuerySchema = ListQuerySchema.extend({ status: z.enum(SAGA_STATUSES).optional() })
