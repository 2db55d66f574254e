import type { AppError, Result } from '../../../../shared-contracts/errors'
import type { InventoryRpcApi } from '../../../../shared-contracts/inventory'
import { CANCELLATION_REASONS, type CancellationReason, type PlaceOrderSagaInput } from '../../../../shared-contracts/orders'
import type { PaymentsRpcApi } from '../../../../shared-contracts/payments'
import { isTransient } from '../../../../platform/resilience/retry-transient'
import { SAGA_FAILED, type Outcome, type RetryPolicy } from '../../../../durable-objects/saga-coordinator/engine'
import type { Settling } from '../../../../durable-objects/saga-coordinator/host'
import type { OrderCommand, OrderState } from '../service/order-state'

// The PlaceOrder saga: reserve stock → charge → confirm (commit stock, confirm the order).
// A business failure compensates the started steps in reverse, then cancels the order.

export interface PlaceOrderDeps {
  inventory: InventoryRpcApi
  payments: PaymentsRpcApi
  /** A fresh credential signed as orders for one call to that service. */
  credential: (audience: 'inventory' | 'payments') => Promise<string>
  /**
   * Confirm / cancel the order: idempotent, answers the order as it now is, and whether this call
   * changed it. `settling`: the saga's state if the call succeeds, whose summary is written with
   * the change (and only with it).
   */
  orderCommand: (
    orderId: string,
    command: OrderCommand,
    settling?: Settling<PlaceOrderSagaInput>,
  ) => Promise<Result<OrderState & { changed: boolean }>>
}

export interface StepDefinition {
  name: string
  run: (deps: PlaceOrderDeps, input: PlaceOrderSagaInput, settling?: Settling<PlaceOrderSagaInput>) => Promise<Outcome>
  /** Undoes the step; a no-op when the step never took effect. */
  compensate: (deps: PlaceOrderDeps, input: PlaceOrderSagaInput) => Promise<Outcome>
  /** Its success writes the order's events (relayed at once). */
  publishes?: boolean
}

/** How long a step of PlaceOrder is retried, from its first attempt, unless SAGA_RETRY_HORIZON_MS says otherwise. */
export const DEFAULT_SAGA_RETRY_HORIZON_MS = 120_000

/**
 * A step is retried with full-jitter backoff (500 ms doubling, each wait at most 10 s) for up
 * to 2 minutes from its first attempt: an outage of the callee shorter than that leaves the order
 * `pending`, then confirmed. 10 attempts per compensation and for the cancel (~1–2 min); for
 * `confirm_order`, 10 and the horizon: by then the charge is captured, and a confirm whose answer
 * was lost may have committed the stock, which no release can give back.
 */
export const PLACE_ORDER_POLICY: RetryPolicy = {
  horizonMs: DEFAULT_SAGA_RETRY_HORIZON_MS,
  retryCapMs: 10_000,
  undoAttempts: 10,
  pivot: 'confirm_order',
  baseDelayMs: 500,
  maxDelayMs: 30_000,
}

/** A step call that has not answered by then counts as a transient failure. */
export const STEP_TIMEOUT_MS = 15_000

const describe = (error: AppError) => (error.detail ? `${error.code}: ${error.detail}` : error.code)

/** A Result as an outcome: transient codes may be retried; business ones carry the cancellation reason. */
function outcomeOf(result: Result<unknown>, reasons: Partial<Record<string, CancellationReason>>): Outcome {
  if (result.ok) return { kind: 'ok' }
  const error = describe(result.error)
  if (isTransient(result.error)) return { kind: 'transient', error }
  return { kind: 'business', error, reason: reasons[result.error.code] ?? SAGA_FAILED }
}

export const key = (input: PlaceOrderSagaInput, operation: string) => `${input.order_id}:${operation}`

export const PLACE_ORDER_STEPS: readonly StepDefinition[] = [
  {
    name: 'reserve_inventory',
    run: async (deps, input) =>
      outcomeOf(
        await deps.inventory.reserve(await deps.credential('inventory'), {
          order_id: input.order_id,
          items: input.items.map(({ product_id, quantity }) => ({ product_id, quantity })),
          key: key(input, 'reserve_inventory'),
        }),
        { out_of_stock: 'out_of_stock', not_found: 'unknown_product' },
      ),
    compensate: async (deps, input) =>
      outcomeOf(
        await deps.inventory.release(await deps.credential('inventory'), {
          order_id: input.order_id,
          key: key(input, 'release_inventory'),
        }),
        {},
      ),
  },
  {
    name: 'charge_payment',
    run: async (deps, input) =>
      outcomeOf(
        await deps.payments.charge(await deps.credential('payments'), {
          order_id: input.order_id,
          user_id: input.user_id,
          amount_cents: input.total_cents,
          currency: input.currency,
          payment_token: input.payment_token,
          key: key(input, 'charge_payment'),
        }),
        { payment_declined: 'payment_declined' },
      ),
    compensate: async (deps, input) =>
      outcomeOf(
        await deps.payments.refund(await deps.credential('payments'), { order_id: input.order_id, key: key(input, 'refund_payment') }),
        {},
      ),
  },
  {
    name: 'confirm_order',
    publishes: true,
    run: async (deps, input, settling) => {
      const committed = outcomeOf(
        await deps.inventory.commit(await deps.credential('inventory'), { order_id: input.order_id, key: key(input, 'commit_inventory') }),
        {},
      )
      if (committed.kind !== 'ok') return committed
      const confirmed = await deps.orderCommand(input.order_id, { type: 'confirm' }, settling)
      if (!confirmed.ok) return outcomeOf(confirmed, {})
      if (confirmed.value.status !== 'confirmed')
        return { kind: 'business', error: `conflict: the order is ${confirmed.value.status}`, reason: SAGA_FAILED }
      return done(confirmed.value.changed, settling)
    },
    // The last step: nothing of it needs undoing before the stock is committed, and a committed
    // reservation cannot be released (the inventory compensation then fails, loudly).
    compensate: async () => ({ kind: 'ok' }),
  },
]

export const PLACE_ORDER_STEP_NAMES = PLACE_ORDER_STEPS.map((step) => step.name)

/** After compensating: the order is cancelled with the failure's reason. */
export async function cancelOrder(
  deps: PlaceOrderDeps,
  input: PlaceOrderSagaInput,
  reason: string,
  settling?: Settling<PlaceOrderSagaInput>,
): Promise<Outcome> {
  const known = (CANCELLATION_REASONS as readonly string[]).includes(reason) ? (reason as CancellationReason) : 'saga_failed'
  const cancelled = await deps.orderCommand(input.order_id, { type: 'cancel', reason: known }, settling)
  if (!cancelled.ok) return outcomeOf(cancelled, {})
  if (cancelled.value.status !== 'cancelled')
    return { kind: 'business', error: `conflict: the order is ${cancelled.value.status}`, reason: known }
  return done(cancelled.value.changed, settling)
}

/** Success; the saga's summary was written with the order's change when this call made it with `settling` offered. */
const done = (changed: boolean, settling: Settling<PlaceOrderSagaInput> | undefined): Outcome =>
  changed && settling ? { kind: 'ok', recorded: true } : { kind: 'ok' }

/** What the payment token becomes once no step needs it. */
export const SPENT_TOKEN = ''

/**
 * The state without the payment token once the charge is settled — succeeded, failed for good,
 * or compensated: no later step or retry needs it, so nobody's token outlives its use. The same
 * state when the charge may still be attempted or the token is gone already.
 */
export function withoutSpentToken<S extends { input: PlaceOrderSagaInput; steps: readonly { name: string; status: string }[] }>(
  state: S,
): S {
  const charge = state.steps.find((step) => step.name === 'charge_payment')
  const settled = charge !== undefined && ['succeeded', 'failed', 'compensated', 'compensation_failed'].includes(charge.status)
  return settled && state.input.payment_token !== SPENT_TOKEN ? { ...state, input: { ...state.input, payment_token: SPENT_TOKEN } } : state
}
