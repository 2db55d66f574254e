import { fail, ok, type FieldError, type Result } from '../../../../shared-contracts/errors'
import type { Product } from '../../../../shared-contracts/inventory'
import type { OrderItem, PlaceOrderRequest } from '../../../../shared-contracts/orders'

export interface PricedOrder {
  items: OrderItem[]
  total_cents: number
  currency: string
}

/** Requested items must name each product once. */
export function duplicateProducts(request: PlaceOrderRequest): FieldError[] {
  const seen = new Set<string>()
  return request.items.flatMap((item, index) => {
    if (!seen.has(item.product_id)) {
      seen.add(item.product_id)
      return []
    }
    return [{ path: `items.${index}.product_id`, message: 'lists a product already listed; give its total quantity once' }]
  })
}

/**
 * Prices the requested items from the catalog (never from the client): every product must
 * exist, all in one currency, and the total must be an exact integer.
 */
export function priceOrder(request: PlaceOrderRequest, products: Product[]): Result<PricedOrder> {
  const byId = new Map(products.map((product) => [product.id, product]))
  const unknown: FieldError[] = request.items.flatMap((item, index) =>
    byId.has(item.product_id) ? [] : [{ path: `items.${index}.product_id`, message: 'no such product' }],
  )
  if (unknown.length > 0) return fail({ code: 'validation_failed', detail: 'Some products do not exist.', errors: unknown })
  const currencies = new Set(request.items.map((item) => byId.get(item.product_id)!.currency))
  if (currencies.size > 1) {
    return fail({
      code: 'validation_failed',
      detail: 'All items of an order must be priced in one currency.',
      errors: [{ path: 'items', message: `mixes currencies ${[...currencies].sort().join(', ')}` }],
    })
  }
  const items = request.items.map((item) => ({
    product_id: item.product_id,
    quantity: item.quantity,
    unit_price_cents: byId.get(item.product_id)!.price_cents,
  }))
  const total = items.reduce((sum, item) => sum + item.quantity * item.unit_price_cents, 0)
  if (!Number.isSafeInteger(total))
    return fail({
      code: 'validation_failed',
      detail: 'The order total is too large.',
      errors: [{ path: 'items', message: 'total too large' }],
    })
  return ok({ items, total_cents: total, currency: [...currencies][0]! })
}

/** A stable fingerprint of a request: the same body (whatever its key order) gives the same hash. */
export async function requestHash(request: PlaceOrderRequest): Promise<string> {
  const canonical = JSON.stringify({
    items: request.items.map((item) => [item.product_id, item.quantity]),
    payment_token: request.payment_token,
  })
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical))
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}
