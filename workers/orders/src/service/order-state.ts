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
 * pending → confirmed | cancelled(reason); nothing else. Pure: the caller writes a change with a
 * guarded UPDATE (WHERE status = 'pending' AND version = from's). Repeating the transition that
 * already happened is a no-op (saga retries); any other move from a final state is refused.
 */
export function transitionOrder(order: OrderState, command: OrderCommand, now: Date): OrderTransition {
  const target: OrderStatus = command.type === 'confirm' ? 'confirmed' : 'cancelled'
  if (order.status !== 'pending') {
    const repeated = order.status === target
    return { kind: 'unchanged', order, refused: !repeated }
  }
  return {
    kind: 'changed',
    from: order.status,
    order: {
      ...order,
      status: target,
      cancellation_reason: command.type === 'cancel' ? command.reason : null,
      updated_at: now.toISOString(),
      version: order.version + 1,
    },
  }
}

/** The public order: the state without its version. */
export function publicOrder({ version: _version, ...order }: OrderState): Order {
  return order
}
