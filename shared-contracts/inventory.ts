import { z } from 'zod'
import { CurrencySchema } from './currency'
import type { Result } from './errors'

// The inventory service's contract: catalog and stock over HTTP, reservations
// over RPC for the order saga (`InventoryRpc`).

/** Upper bounds keep sums of quantity × price far inside 2^53 and inside SQLite integers. */
export const MAX_PRICE_CENTS = 100_000_000_000
export const MAX_STOCK = 1_000_000_000
export const MAX_ITEM_QUANTITY = 10_000
export const MAX_ITEMS = 100

export const SkuSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit')
const ProductName = z.string().trim().min(1, 'must not be empty').max(200)
const Description = z.string().max(5000)
const PriceCents = z.number().int('must be an integer').positive('must be greater than 0').max(MAX_PRICE_CENTS)
const StockCount = z.number().int('must be an integer').min(0, 'must not be negative').max(MAX_STOCK)
const Id = z.string().min(1).max(128)

export const CreateProductRequestSchema = z.strictObject({
  sku: SkuSchema,
  name: ProductName,
  description: Description.default(''),
  price_cents: PriceCents,
  currency: CurrencySchema,
  initial_stock: StockCount.optional(),
})
export type CreateProductRequest = z.infer<typeof CreateProductRequestSchema>

export const UpdateProductRequestSchema = z
  .strictObject({ name: ProductName.optional(), description: Description.optional(), price_cents: PriceCents.optional() })
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: 'must change at least one of name, description, price_cents',
    // Only an otherwise valid body is "empty": an unknown field is its own error.
    when: (payload) => payload.issues.length === 0,
  })
export type UpdateProductRequest = z.infer<typeof UpdateProductRequestSchema>

export const SetStockRequestSchema = z.strictObject({ on_hand: StockCount })
export type SetStockRequest = z.infer<typeof SetStockRequestSchema>

/** The public product: `available` = on hand − reserved. */
export const ProductSchema = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  price_cents: z.number().int(),
  currency: z.string(),
  available: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
})
export type Product = z.infer<typeof ProductSchema>

export const StockLevelsSchema = z.object({
  product_id: z.string(),
  on_hand: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
})
export type StockLevels = z.infer<typeof StockLevelsSchema>

// ── RPC (callers: orders) ────────────────────────────────────────────────────────────────

/** A caller-chosen idempotency key: the same key answers the same result and acts once. */
const IdempotencyKey = z.string().min(1).max(200)

export const ReserveRequestSchema = z.strictObject({
  order_id: Id,
  items: z
    .array(z.strictObject({ product_id: Id, quantity: z.number().int().min(1).max(MAX_ITEM_QUANTITY) }))
    .min(1)
    .max(MAX_ITEMS)
    .refine((items) => new Set(items.map((item) => item.product_id)).size === items.length, {
      message: 'must not list a product twice',
      when: (payload) => payload.issues.length === 0,
    }),
  key: IdempotencyKey,
})
export type ReserveRequest = z.infer<typeof ReserveRequestSchema>

export interface ReservedItem {
  product_id: string
  quantity: number
  /** The catalog price when the stock was reserved. */
  unit_price_cents: number
  currency: string
}

export interface Reservation {
  reservation_id: string
  items: ReservedItem[]
}

export const ReservationChangeRequestSchema = z.strictObject({ order_id: Id, key: IdempotencyKey })
export type ReservationChangeRequest = z.infer<typeof ReservationChangeRequestSchema>

/** What a release or commit did: the items it moved; none when it was a no-op. */
export interface ReservationChange {
  order_id: string
  status: 'released' | 'committed'
  items: { product_id: string; quantity: number }[]
}

export const GetProductsRequestSchema = z.strictObject({ ids: z.array(Id).min(1).max(MAX_ITEMS) })
export type GetProductsRequest = z.infer<typeof GetProductsRequestSchema>

/**
 * The RPC surface of `InventoryRpc` (workers/inventory), for a typed service binding. Every
 * method takes the caller's service credential first (platform/rpc/guard.ts) and answers a
 * Result: `unauthenticated` for a refused credential, `validation_failed` for bad input,
 * `service_unavailable` if the reservation kept changing under the call (retry, same key).
 * The same key answers the same result, failures included; reusing it for another request is
 * `idempotency_key_reused`.
 */
export interface InventoryRpcApi {
  /**
   * Reserves all items or none, priced from the catalog. Fails `out_of_stock` (the detail names
   * the product), `not_found` (an unknown product), `conflict` (the order has a reservation, or
   * was released), `idempotency_key_reused`.
   */
  reserve(credential: string, input: ReserveRequest): Promise<Result<Reservation>>
  /**
   * Returns reserved stock; releasing twice succeeds; a committed reservation is a `conflict`.
   * Releasing an order that reserved nothing succeeds and remembers it: a later reserve for
   * that order (one that arrives after the saga compensated) is a `conflict`.
   */
  release(credential: string, input: ReservationChangeRequest): Promise<Result<ReservationChange>>
  /** Turns a reservation into a stock decrease; twice is a no-op; a released one is a `conflict`, none at all `not_found`. */
  commit(credential: string, input: ReservationChangeRequest): Promise<Result<ReservationChange>>
  /** The products among `ids`, in that order; unknown ids are left out. */
  getProducts(credential: string, input: GetProductsRequest): Promise<Result<{ items: Product[] }>>
}
