import { sql } from 'drizzle-orm'
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/**
 * `pending` is internal: a charge claimed its order and is at (or was lost at) the provider.
 * Only the same idempotency key settles it (captured or declined); a refund cancels it
 * (declined, reason `cancelled`). Lists never show it.
 */
export const STORED_STATUSES = ['pending', 'captured', 'declined', 'refunded'] as const
export type StoredStatus = (typeof STORED_STATUSES)[number]

export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    /** The caller's key: one payment attempt per key, for good. */
    idempotencyKey: text('idempotency_key').notNull().unique(),
    /** SHA-256 of the charge request: the same key with another request is refused. */
    requestHash: text('request_hash').notNull(),
    orderId: text('order_id').notNull(),
    userId: text('user_id').notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: STORED_STATUSES }).notNull(),
    /** Why a payment is declined: the provider's reason, or `cancelled` by a refund before it settled. */
    declineReason: text('decline_reason'),
    provider: text('provider').notNull(),
    providerChargeId: text('provider_charge_id'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    refundedAt: text('refunded_at'),
  },
  (table) => [
    // The rule "an order is never captured twice", enforced by the database: at most one
    // attempt per order that is in flight, captured or refunded. Declined ones do not count.
    uniqueIndex('payments_one_live_per_order').on(table.orderId).where(sql`${table.status} IN ('pending', 'captured', 'refunded')`),
    index('payments_by_order').on(table.orderId, table.createdAt, table.id),
    check('payments_status', sql`${table.status} IN ('pending', 'captured', 'declined', 'refunded')`),
    check('payments_amount', sql`${table.amountCents} > 0`),
  ],
)

export type PaymentRow = typeof payments.$inferSelect

/** The sandbox provider's memory of attempts per idempotency key (provider/attempts.ts). */
export const sandboxAttempts = sqliteTable('sandbox_attempts', {
  key: text('key').primaryKey(),
  attempts: integer('attempts').notNull(),
})

// payments publishes payment.captured and payment.refunded through its transactional outbox, and
// consumes user.deleted (inbox, dead letters, the users it has erased: docs/adr/0028).
export { outbox, inbox, deadLetters } from '../../../../platform/events/tables'
export { erasedUsers } from '../../../../platform/privacy/erasures'
