import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import type { Product } from '../../../../shared-contracts/inventory'
import type { Order, PlaceOrderRequest, PlaceOrderSagaInput } from '../../../../shared-contracts/orders'
import { createSaga, sagaView } from '../../../../durable-objects/saga-coordinator/engine'
import type { IdempotencyRepo } from '../repo/idempotency-repo'
import { REPLAY_WINDOW_MS } from '../../../../platform/events/retention'
import type { OrdersRepo } from '../repo/orders-repo'
import type { IdempotencyRow } from '../repo/schema'
import { publicOrder, transitionOrder, type OrderCommand, type OrderState } from './order-state'
import { duplicateProducts, priceOrder, requestHash } from './pricing'

export interface PlacedResponse {
  status: number
  body: Order
  location: string
}

export interface OrdersDeps {
  orders: OrdersRepo
  idempotency: IdempotencyRepo
  /** The catalog's products among `ids` (inventory's getProducts RPC). */
  products: (ids: string[]) => Promise<Result<Product[]>>
  /** Starts (or, if started, looks at) the order's saga: idempotent. */
  startSaga: (input: PlaceOrderSagaInput) => Promise<void>
  /** The saga's steps, shown pending until its coordinator starts. */
  stepNames: readonly string[]
  /** Whether users has deleted the account (user.deleted came through): it places no more orders. */
  isErased: (userId: string) => Promise<boolean>
  now: () => Date
}

/** A claim older than this belongs to a request that died: another may take it over. */
export const STALE_CLAIM_MS = 60_000
const newOrderId = () => `ord_${crypto.randomUUID().replaceAll('-', '')}`
export const orderLocation = (id: string) => `/api/v1/orders/${id}`

export type OrdersService = ReturnType<typeof createOrdersService>

export function createOrdersService(deps: OrdersDeps) {
  /** The answer stored for a key already done; the saga is (re)started in case its start was lost. */
  async function replay(row: IdempotencyRow, request: PlaceOrderRequest): Promise<Result<PlacedResponse>> {
    const body = JSON.parse(row.responseBody!) as Order
    const order = await deps.orders.find(body.id)
    if (order?.status === 'pending') await deps.startSaga(sagaInput(order, request.payment_token))
    return ok({ status: row.responseStatus!, body, location: orderLocation(body.id) })
  }

  async function existing(
    userId: string,
    key: string,
    hash: string,
    request: PlaceOrderRequest,
  ): Promise<Result<PlacedResponse> | { claimedAt: number }> {
    const row = await deps.idempotency.find(userId, key)
    if (!row) return fail({ code: 'conflict', detail: 'This request is being processed; try again.' })
    if (row.requestHash !== hash)
      return fail({ code: 'idempotency_key_reused', detail: 'This Idempotency-Key was used with another request.' })
    if (row.state === 'done') return replay(row, request)
    const now = deps.now().getTime()
    if (row.claimedAt < now - STALE_CLAIM_MS && (await deps.idempotency.takeOver(userId, key, row.claimedAt, now)))
      return { claimedAt: now }
    return fail({ code: 'conflict', detail: 'A request with this Idempotency-Key is still in progress.' })
  }

  return {
    /**
     * Places an order once per (user, Idempotency-Key): claims the key, prices the items from the
     * catalog, writes the order with its event and the stored answer in one batch, then starts the
     * saga. The same key and body answer the stored response; another body is refused.
     */
    async place(userId: string, key: string, request: PlaceOrderRequest): Promise<Result<PlacedResponse>> {
      // An access token outlives its account by up to 15 minutes; the account's orders do not grow.
      if (await deps.isErased(userId)) return fail({ code: 'unauthenticated', detail: 'The account was deleted.' })
      const duplicates = duplicateProducts(request)
      if (duplicates.length > 0) return fail({ code: 'validation_failed', errors: duplicates })
      const hash = await requestHash(request)
      const now = deps.now()
      let claimedAt = now.getTime()
      const expiredBefore = new Date(claimedAt - REPLAY_WINDOW_MS).toISOString()
      if (!(await deps.idempotency.claim({ userId, key, requestHash: hash, claimedAt, createdAt: now.toISOString() }, expiredBefore))) {
        const found = await existing(userId, key, hash, request)
        if ('ok' in found) return found
        claimedAt = found.claimedAt
      }
      try {
        const products = await deps.products(request.items.map((item) => item.product_id))
        const priced = products.ok ? priceOrder(request, products.value) : products
        if (!priced.ok) {
          await deps.idempotency.release(userId, key, claimedAt)
          return priced
        }
        const at = now.toISOString()
        const order: OrderState = {
          id: newOrderId(),
          user_id: userId,
          status: 'pending',
          ...priced.value,
          cancellation_reason: null,
          created_at: at,
          updated_at: at,
          version: 1,
        }
        const response = { status: 202, body: publicOrder(order), location: orderLocation(order.id) }
        const input = sagaInput(order, request.payment_token)
        // The view the coordinator shows once it starts, written with the order.
        const saga = { view: sagaView(createSaga(order.id, input, deps.stepNames, now.getTime())), input }
        const placed = await deps.orders.place(
          order,
          { userId, key, claimedAt, response: { status: 202, body: JSON.stringify(response.body) } },
          saga,
          now,
        )
        // Outlived its claim: another request with this key holds it now, and that one places the order.
        if (!placed) return fail({ code: 'conflict', detail: 'A request with this Idempotency-Key is still in progress.' })
        await deps.startSaga(input)
        return ok(response)
      } catch (error) {
        await deps.idempotency.release(userId, key, claimedAt).catch(() => undefined)
        throw error
      }
    },

    /** The caller's own order; anyone else's is not found (never forbidden). */
    async get(userId: string, id: string): Promise<Result<Order>> {
      const order = await deps.orders.find(id)
      if (!order || order.user_id !== userId) return fail({ code: 'not_found', detail: 'No such order.' })
      return ok(publicOrder(order))
    },
  }
}

export function sagaInput(order: OrderState, paymentToken: string): PlaceOrderSagaInput {
  return {
    order_id: order.id,
    user_id: order.user_id,
    items: order.items,
    total_cents: order.total_cents,
    currency: order.currency,
    payment_token: paymentToken,
  }
}

/**
 * Applies confirm / cancel to an order: a guarded write with its event; a repeated or refused
 * transition is a no-op answering the current state (the saga retries safely).
 */
export async function applyOrderCommand(
  repo: OrdersRepo,
  orderId: string,
  command: OrderCommand,
  now: () => Date,
): Promise<Result<OrderState>> {
  for (let round = 0; round < 5; round++) {
    const order = await repo.find(orderId)
    if (!order) return fail({ code: 'not_found', detail: `No order ${orderId}.` })
    const transition = transitionOrder(order, command, now())
    if (transition.kind === 'unchanged') return ok(transition.order)
    if (await repo.writeTransition(order, transition.order, now())) return ok(transition.order)
  }
  throw new Error(`order ${orderId}: no stable state after 5 rounds`)
}
