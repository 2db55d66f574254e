import { createEvent } from '../../../../platform/events/envelope'
import { EVENT_TYPES, type CloudEvent, type EventData } from '../../../../shared-contracts/events'
import type { OrderStatus } from '../../../../shared-contracts/orders'
import type { OrderState } from '../service/order-state'

type OrderEventType = typeof EVENT_TYPES.orderPlaced | typeof EVENT_TYPES.orderConfirmed | typeof EVENT_TYPES.orderCancelled

const TYPE_FOR: Record<OrderStatus, OrderEventType> = {
  pending: EVENT_TYPES.orderPlaced,
  confirmed: EVENT_TYPES.orderConfirmed,
  cancelled: EVENT_TYPES.orderCancelled,
}

/** The event announcing the order's state after a change: the full snapshot, with its version. */
export function orderEvent(order: OrderState, now: Date): CloudEvent<EventData<OrderEventType>> {
  return createEvent({
    service: 'orders',
    type: TYPE_FOR[order.status],
    subject: order.id,
    now,
    data: {
      order_id: order.id,
      user_id: order.user_id,
      status: order.status,
      items: order.items,
      total_cents: order.total_cents,
      currency: order.currency,
      cancellation_reason: order.cancellation_reason,
      created_at: order.created_at,
      updated_at: order.updated_at,
      version: order.version,
    },
  })
}
