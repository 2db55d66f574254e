import type { CancellationReason, Order, OrderStatus } from '../../../../shared-contracts/orders'

/** The order aggregate as stored: the public shape plus its version (carried by its events). */
export interface OrderState extends Order {
  version: number
}

export type OrderCommand = { type: 'confirm' } | { type: 'cancel'; reason: CancellationReason }

/** What a command does: a change to write (with its event), or nothing (already there, or refused). */
export type OrderTransition =
  | { kind: 'changed'; from: OrderStatus; order: OrderState }
  | { kind: 'unchanged'; order: OrderState; refused: boolean }

/**
 * pending → confirmed | cancelled(reason); nothing else. Pure: the write of a change is a guarded
 * UPDATE (WHERE status = 'pending'), made with `changeFromPending` without reading the order first. Repeating the transition that
 * already happened is a no-op (saga retries); any other move from a final state is refused.
 */
export function transitionOrder(order: OrderState, command: OrderCommand, now: Date): OrderTransition {
  const change = changeFromPending(command, now)
  if (order.status !== 'pending') {
    const repeated = order.status === change.status
    return { kind: 'unchanged', order, refused: !repeated }
  }
  return { kind: 'changed', from: order.status, order: { ...order, ...change, version: order.version + 1 } }
}

/** What a command changes in a pending order (besides its version, + 1). */
export interface PendingChange {
  status: Exclude<OrderStatus, 'pending'>
  cancellation_reason: CancellationReason | null
  updated_at: string
}

/** The change `command` makes to a pending order: the one rule `transitionOrder` and the guarded write share. */
export function changeFromPending(command: OrderCommand, now: Date): PendingChange {
  return command.type === 'confirm'
    ? { status: 'confirmed', cancellation_reason: null, updated_at: now.toISOString() }
    : { status: 'cancelled', cancellation_reason: command.reason, updated_at: now.toISOString() }
}

/** The public order: the state without its version. */
export function publicOrder({ version: _version, ...order }: OrderState): Order {
  return order
}
