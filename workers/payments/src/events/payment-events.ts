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

/**
 * The outbox row for an event, written only if `condition` (SQL, with `?1`.. bound to `params`)
 * holds when the batch runs. A guarded update (`... WHERE status = 'pending'`) that changes
 * nothing must not leave an event behind; `outboxInsert` (platform/events/outbox.ts) cannot
 * express that. It sets the same columns as outboxInsert; the rest keep their defaults.
 */
export function outboxInsertWhen(d1: D1Database, event: CloudEvent, condition: string, ...params: unknown[]): D1PreparedStatement {
  const values = params.length
  return d1
    .prepare(
      `INSERT INTO outbox (id, type, envelope, created_at)
       SELECT ?${values + 1}, ?${values + 2}, ?${values + 3}, ?${values + 4} WHERE ${condition}`,
    )
    .bind(...params, event.id, event.type, JSON.stringify(event), event.time)
}
