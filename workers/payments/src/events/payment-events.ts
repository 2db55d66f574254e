import { createEvent } from '../../../../platform/events/envelope'
import { EVENT_TYPES, type CloudEvent } from '../../../../shared-contracts/events'

export const SERVICE = 'payments'

/** What the events say about a payment. */
export interface PaymentFacts {
  id: string
  orderId: string
  amountCents: number
  currency: string
}

type Change = 'captured' | 'refunded'

const TYPES = { captured: EVENT_TYPES.paymentCaptured, refunded: EVENT_TYPES.paymentRefunded } as const

/**
 * `payment.captured.v1` / `payment.refunded.v1`. The id is derived from the payment and the
 * change, not random: the outbox's primary key then lets a payment announce each change once,
 * whoever settles it (two settlements racing: the second batch fails and writes nothing).
 */
export function paymentEvent(change: Change, payment: PaymentFacts, now: Date): CloudEvent {
  const event = createEvent({
    service: SERVICE,
    type: TYPES[change],
    subject: payment.id,
    data: { payment_id: payment.id, order_id: payment.orderId, amount_cents: payment.amountCents, currency: payment.currency },
    now,
  })
  return { ...event, id: `evt_${payment.id}_${change}` }
}
