import { and, asc, eq, gt, inArray, or, type SQL } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import type { Payment } from '../../../../shared-contracts/payments'
import { outboxInsertWhen } from '../../../../platform/events/outbox-insert'
import { paymentEvent } from '../events/payment-events'
import { payments, type PaymentRow, type StoredStatus } from './schema'
import { isUniqueViolation } from '../../../../platform/db/sql-errors'

/** A payment attempt as the service sees it: the contract fields plus what it must check. */
export interface StoredPayment {
  id: string
  key: string
  requestHash: string
  orderId: string
  userId: string
  amountCents: number
  currency: string
  status: StoredStatus
  declineReason: string | null
  providerChargeId: string | null
  createdAt: string
}

/** Statuses that hold an order: at most one such row per order (the partial unique index). */
const LIVE: StoredStatus[] = ['pending', 'captured', 'refunded']

/** Conditions of the events' outbox rows: the change they announce has been made. */
const CAPTURED = `EXISTS (SELECT 1 FROM payments WHERE id = ?1 AND status = 'captured')`
const REFUNDED = `EXISTS (SELECT 1 FROM payments WHERE id = ?1 AND status = 'refunded')`

function toStored(row: PaymentRow): StoredPayment {
  return {
    id: row.id,
    key: row.idempotencyKey,
    requestHash: row.requestHash,
    orderId: row.orderId,
    userId: row.userId,
    amountCents: row.amountCents,
    currency: row.currency,
    status: row.status,
    declineReason: row.declineReason,
    providerChargeId: row.providerChargeId,
    createdAt: row.createdAt,
  }
}

function toPayment(row: PaymentRow): Payment {
  if (row.status === 'pending') throw new Error(`payment ${row.id} is pending: not a public payment`)
  return {
    id: row.id,
    order_id: row.orderId,
    amount_cents: row.amountCents,
    currency: row.currency,
    status: row.status,
    created_at: row.createdAt,
  }
}

export interface ListFilter {
  orderId: string
  /** Only this user's payments (a customer); all of the order's for an admin. */
  userId?: string
  limit: number
  after?: [createdAt: string, id: string]
}

export type PaymentsRepo = ReturnType<typeof createPaymentsRepo>

export function createPaymentsRepo(d1: D1Database) {
  const db = drizzle(d1)
  const one = async (where: SQL | undefined) => {
    const row = await db.select().from(payments).where(where).get()
    return row ? toStored(row) : null
  }
  const changed = (result: unknown) => ((result as D1Result).meta?.changes ?? 0) > 0

  /**
   * A guarded status change and its event in one batch (both or neither). `false` when this
   * call did not make the change: the guard matched nothing (nothing is written then), or a
   * concurrent settlement already wrote the event (the batch fails on the event's id).
   */
  async function settle(update: { toSQL(): { sql: string; params: unknown[] } }, event: D1PreparedStatement): Promise<boolean> {
    const query = update.toSQL()
    try {
      const [result] = await d1.batch([d1.prepare(query.sql).bind(...query.params), event])
      return changed(result)
    } catch (error) {
      if (isUniqueViolation(error)) return false
      throw error
    }
  }

  return {
    findById: (id: string) => one(eq(payments.id, id)),
    /** The order's attempt that is pending, captured or refunded, if any (there is at most one). */
    findLiveByOrder: (orderId: string) => one(and(eq(payments.orderId, orderId), inArray(payments.status, LIVE))),

    /** What a charge looks at first, in one statement: the attempt of its key, and the order's live attempt (perhaps the same row). */
    async findForCharge(key: string, orderId: string): Promise<{ sameKey: StoredPayment | null; live: StoredPayment | null }> {
      const rows = (
        await db
          .select()
          .from(payments)
          .where(or(eq(payments.idempotencyKey, key), and(eq(payments.orderId, orderId), inArray(payments.status, LIVE))))
          .all()
      ).map(toStored)
      return {
        sameKey: rows.find((row) => row.key === key) ?? null,
        live: rows.find((row) => row.orderId === orderId && LIVE.includes(row.status)) ?? null,
      }
    },

    /**
     * Inserts a pending attempt before the provider is called: it claims its key and its order.
     * `false` if either is taken (the unique constraints decide, not a prior check).
     */
    async claim(attempt: StoredPayment, provider: string): Promise<boolean> {
      const { key, ...fields } = attempt
      try {
        await db.insert(payments).values({ ...fields, idempotencyKey: key, provider, status: 'pending', updatedAt: attempt.createdAt })
        return true
      } catch (error) {
        if (isUniqueViolation(error)) return false
        throw error
      }
    },

    /**
     * pending → captured, with its payment.captured event, in one batch. `false` when this call
     * did not make the change (it was settled or cancelled meanwhile): nothing is written then.
     */
    async settleCaptured(payment: StoredPayment, providerChargeId: string, now: Date): Promise<boolean> {
      const at = now.toISOString()
      const update = db
        .update(payments)
        .set({ status: 'captured', providerChargeId, updatedAt: at })
        .where(and(eq(payments.id, payment.id), eq(payments.status, 'pending')))
      return settle(update, outboxInsertWhen(d1, paymentEvent('captured', payment, now), CAPTURED, payment.id))
    },

    /** pending → declined (the provider's reason, or `cancelled`); `false` if it was not pending. */
    async settleDeclined(id: string, reason: string, now: Date): Promise<boolean> {
      const result = await db
        .update(payments)
        .set({ status: 'declined', declineReason: reason, updatedAt: now.toISOString() })
        .where(and(eq(payments.id, id), eq(payments.status, 'pending')))
      return changed(result)
    },

    /** captured → refunded, with its payment.refunded event, in one batch; `false` if this call did not make the change. */
    async settleRefunded(payment: StoredPayment, now: Date): Promise<boolean> {
      const at = now.toISOString()
      const update = db
        .update(payments)
        .set({ status: 'refunded', refundedAt: at, updatedAt: at })
        .where(and(eq(payments.id, payment.id), eq(payments.status, 'captured')))
      return settle(update, outboxInsertWhen(d1, paymentEvent('refunded', payment, now), REFUNDED, payment.id))
    },

    /** One page of an order's settled payments, oldest first; one row more than asked says there is more. */
    async listByOrder(filter: ListFilter): Promise<{ items: Payment[]; more: boolean }> {
      const [afterCreatedAt, afterId] = filter.after ?? []
      const rows = await db
        .select()
        .from(payments)
        .where(
          and(
            eq(payments.orderId, filter.orderId),
            inArray(payments.status, ['captured', 'declined', 'refunded']),
            filter.userId === undefined ? undefined : eq(payments.userId, filter.userId),
            afterCreatedAt === undefined
              ? undefined
              : or(gt(payments.createdAt, afterCreatedAt), and(eq(payments.createdAt, afterCreatedAt), gt(payments.id, afterId!))),
          ),
        )
        .orderBy(asc(payments.createdAt), asc(payments.id))
        .limit(filter.limit + 1)
      return { items: rows.slice(0, filter.limit).map(toPayment), more: rows.length > filter.limit }
    },

    /** Whether the user has any settled payment for the order: what "their order" means here. */
    async hasPaymentFor(orderId: string, userId: string): Promise<boolean> {
      const row = await db
        .select({ id: payments.id })
        .from(payments)
        .where(
          and(eq(payments.orderId, orderId), eq(payments.userId, userId), inArray(payments.status, ['captured', 'declined', 'refunded'])),
        )
        .get()
      return row !== undefined
    },
  }
}
