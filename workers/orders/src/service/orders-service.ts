import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import type { Product } from '../../../../shared-contracts/inventory'
import type { Order, PlaceOrderRequest, PlaceOrderSagaInput } from '../../../../shared-contracts/orders'
import { createSaga, sagaView } from '../../../../durable-objects/saga-coordinator/engine'
import type { StartOptions } from '../../../../durable-objects/saga-coordinator/host'
import type { IdempotencyRepo } from '../repo/idempotency-repo'
import { REPLAY_WINDOW_MS } from '../../../../platform/events/retention'
import type { OrdersRepo } from '../repo/orders-repo'
import type { IdempotencyRow } from '../repo/schema'
import type { SagaSummary } from '../repo/sagas-repo'
import { changeFromPending, publicOrder, transitionOrder, type OrderCommand, type OrderState } from './order-state'
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
  /**
   * Starts (or, if started, looks at) the order's saga: idempotent. A call that fails on its way to
   * the coordinator is logged and left to the saga sweep (the placement stays accepted); a failure
   * in the coordinator's own code throws (docs/adr/0075).
   */
  startSaga: (input: PlaceOrderSagaInput, options?: StartOptions) => Promise<void>
  /** The saga's steps, shown pending until its coordinator starts. */
  stepNames: readonly string[]
  /**
   * Whether users has deleted the account (user.deleted came through): it places no more orders.
   * Asked only when a claim was refused (the claim itself is refused for an erased user) or the
   * items could not be priced.
   */
  isErased: (userId: string) => Promise<boolean>
  now: () => Date
}

/** An in-flight claim (an earlier build wrote them) older than this belongs to a request that died. */
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

  /**
   * What a key already answers, when this request's claim was refused or its items could not be
   * priced: null when the key has no live row (it never was, or is past its replay window).
   */
  async function earlier(userId: string, key: string, hash: string, request: PlaceOrderRequest, expiredBefore: string) {
    // An access token outlives its account by up to 15 minutes; the account's orders do not grow.
    if (await deps.isErased(userId)) return fail({ code: 'unauthenticated', detail: 'The account was deleted.' })
    const row = await deps.idempotency.find(userId, key)
    if (!row || row.createdAt < expiredBefore) return null
    if (row.requestHash !== hash)
      return fail({ code: 'idempotency_key_reused', detail: 'This Idempotency-Key was used with another request.' })
    if (row.state === 'done') return replay(row, request)
    return fail({ code: 'conflict', detail: 'A request with this Idempotency-Key is still in progress.' })
  }

  return {
    /**
     * Places an order once per (user, Idempotency-Key): prices the items, then claims the key
     * and writes the order, its event and the stored answer in one batch, then starts the saga.
     * The same key and body answer the stored response; another body is refused. Two requests
     * with one key that meet both price the items; the batch that comes second writes nothing,
     * and its request answers what the first stored.
     */
    async place(userId: string, key: string, request: PlaceOrderRequest): Promise<Result<PlacedResponse>> {
      const duplicates = duplicateProducts(request)
      if (duplicates.length > 0) return fail({ code: 'validation_failed', errors: duplicates })
      const hash = await requestHash(request)
      const now = deps.now()
      const expiredBefore = new Date(now.getTime() - REPLAY_WINDOW_MS).toISOString()
      const products = await deps.products(request.items.map((item) => item.product_id))
      const priced = products.ok ? priceOrder(request, products.value) : products
      if (!priced.ok) return (await earlier(userId, key, hash, request, expiredBefore)) ?? priced
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
      const claim = {
        userId,
        key,
        requestHash: hash,
        response: { status: 202, body: JSON.stringify(response.body) },
        at: now,
        expiredBefore,
        staleBefore: now.getTime() - STALE_CLAIM_MS,
      }
      if (!(await deps.orders.place(order, claim, saga)))
        return (
          (await earlier(userId, key, hash, request, expiredBefore)) ??
          fail({ code: 'conflict', detail: 'This request is being processed; try again.' })
        )
      // Its summary was written just now, with the order: the saga has never run.
      await deps.startSaga(input, { fresh: true })
      return ok(response)
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
 * Applies confirm / cancel to an order: a guarded write with its event, made without reading the
 * order first; a repeated or refused transition (the order was not pending) is a no-op answering
 * the current state (the saga retries safely). `summary`, if given, is written with the change
 * only; `changed` says whether this call made it.
 */
export async function applyOrderCommand(
  repo: OrdersRepo,
  orderId: string,
  command: OrderCommand,
  now: () => Date,
  summary?: () => SagaSummary,
): Promise<Result<OrderState & { changed: boolean }>> {
  const changed = await repo.changePending(orderId, changeFromPending(command, now()), now(), summary?.())
  if (changed) return ok({ ...changed, changed: true })
  const order = await repo.find(orderId)
  if (!order) return fail({ code: 'not_found', detail: `No order ${orderId}.` })
  const transition = transitionOrder(order, command, now())
  // Not pending when the write looked, so not pending now: orders never go back to pending.
  if (transition.kind === 'changed') throw new Error(`order ${orderId} is pending, but its guarded write changed nothing`)
  return ok({ ...transition.order, changed: false })
}
