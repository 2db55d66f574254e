import { z } from 'zod'
import { CurrencySchema } from './currency'
import type { Result } from './errors'
import { ListQuerySchema, type Page } from './pagination'

/** What a stored payment can be, publicly. An attempt still in flight is never shown. */
export const PAYMENT_STATUSES = ['captured', 'declined', 'refunded'] as const
export const PaymentStatusSchema = z.enum(PAYMENT_STATUSES)
export type PaymentStatus = z.infer<typeof PaymentStatusSchema>

/** A payment as the API shows it. The paying user stays internal. */
export const PaymentSchema = z.object({
  id: z.string(),
  order_id: z.string(),
  amount_cents: z.number().int(),
  currency: z.string(),
  status: PaymentStatusSchema,
  created_at: z.string(),
})
export type Payment = z.infer<typeof PaymentSchema>
export type PaymentPage = Page<Payment>

const Id = z.string().min(1, 'must not be empty').max(128)
/** Chosen by the caller; the same key means the same request (retries), for good. */
const IdempotencyKey = z.string().min(1, 'must not be empty').max(255)

/** `GET /api/v1/payments?order_id=&limit=&cursor=`: unknown parameters are refused. */
export const PaymentListQuerySchema = ListQuerySchema.extend({ order_id: Id })
export type PaymentListQuery = z.infer<typeof PaymentListQuerySchema>

/** `PaymentsRpc.charge`: one order, charged at most once. */
export const ChargeRequestSchema = z.strictObject({
  order_id: Id,
  user_id: Id,
  amount_cents: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: CurrencySchema,
  /** An opaque provider token (the sandbox knows `tok_visa`, `tok_chargeDeclined`, ...). */
  payment_token: z.string().min(1, 'must not be empty').max(255),
  key: IdempotencyKey,
})
export type ChargeRequest = z.infer<typeof ChargeRequestSchema>

export interface ChargeResponse {
  payment_id: string
  status: 'captured'
}

/** `PaymentsRpc.refund`: refunds the order's capture, if there is one. */
export const RefundRequestSchema = z.strictObject({ order_id: Id, key: IdempotencyKey })
export type RefundRequest = z.infer<typeof RefundRequestSchema>

export interface RefundResponse {
  /** `none`: the order has no capture to refund (never charged, declined, or still unsettled). */
  status: 'refunded' | 'none'
}

/**
 * The payments Worker's RPC entrypoint (`PaymentsRpc`) as a caller sees it through a service
 * binding. The first argument is a credential the caller signed for audience `payments`;
 * only `orders` is allowed. Failures are values: `unauthenticated`, `validation_failed`,
 * `payment_declined`, `provider_error` (transient: retry with the same key), `conflict`,
 * `idempotency_key_reused`.
 */
export interface PaymentsRpcApi {
  charge(credential: string, request: ChargeRequest): Promise<Result<ChargeResponse>>
  refund(credential: string, request: RefundRequest): Promise<Result<RefundResponse>>
}
