import { and, asc, desc, eq, inArray, lt, lte, ne, or, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import type { DeliveryStatus, NotificationDraft, NotificationRecord } from '../service/notification'
import { notifications, type NotificationRow } from './schema'

function toRecord(row: NotificationRow): NotificationRecord {
  return {
    id: row.id,
    user_id: row.userId,
    type: row.type,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    order_id: row.orderId,
    created_at: row.createdAt,
    delivery_status: row.deliveryStatus,
    delivery_attempts: row.deliveryAttempts,
  }
}

export interface NewNotification {
  id: string
  draft: NotificationDraft
  createdAt: string
  recordedAt: string
  event: { source: string; id: string }
}

export interface ClaimDueOptions {
  /** Only notifications whose last attempt (or recording) is at or before this time. */
  cutoff: string
  maxAttempts: number
  limit: number
  now: string
}

export type NotificationsRepo = ReturnType<typeof createNotificationsRepo>

export function createNotificationsRepo(d1: D1Database) {
  const db = drizzle(d1)

  /** Starts an attempt: counts it and stamps it, so another sweep leaves the row alone for a while. */
  const claim = (now: string) => ({
    deliveryAttempts: sql`${notifications.deliveryAttempts} + 1`,
    lastAttemptAt: now,
  })

  return {
    /**
     * The insert for one notification, as a raw statement for the consumer's batch (with the
     * inbox row). It is written with its first delivery attempt claimed (counted and stamped at
     * `recordedAt`): the consumer makes that attempt right after the batch (`deliverRecorded`),
     * and if it never reports back the sweep retries it once the claim is old, as for any
     * attempt. A second notification for the same event is silently not written, and neither is
     * one for an erased user (a trigger): the statement returns the row's id only if it wrote it.
     */
    insertStatement(notification: NewNotification): D1PreparedStatement {
      const { draft } = notification
      const query = db
        .insert(notifications)
        .values({
          id: notification.id,
          userId: draft.user_id,
          type: draft.type,
          channel: draft.channel,
          recipient: draft.recipient,
          subject: draft.subject,
          body: draft.body,
          orderId: draft.order_id,
          createdAt: notification.createdAt,
          recordedAt: notification.recordedAt,
          eventSource: notification.event.source,
          eventId: notification.event.id,
          deliveryAttempts: 1,
          lastAttemptAt: notification.recordedAt,
        })
        .onConflictDoNothing({ target: [notifications.eventSource, notifications.eventId] })
        .returning({ id: notifications.id })
        .toSQL()
      return d1.prepare(query.sql).bind(...query.params)
    },

    /** A user's notifications, newest first, strictly after `after` (a [created_at, id] position). */
    async listForUser(userId: string, limit: number, after: [string, string] | null): Promise<NotificationRecord[]> {
      const position = after
        ? or(lt(notifications.createdAt, after[0]), and(eq(notifications.createdAt, after[0]), lt(notifications.id, after[1])))
        : undefined
      const rows = await db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, userId), position))
        .orderBy(desc(notifications.createdAt), desc(notifications.id))
        .limit(limit)
      return rows.map(toRecord)
    },

    /** A read for the consumer's batch of reads: it answers a row if the event's notification is recorded already. */
    recordedStatement(source: string, eventId: string): D1PreparedStatement {
      return d1.prepare('SELECT 1 FROM notifications WHERE event_source = ?1 AND event_id = ?2').bind(source, eventId)
    },

    async findByEvent(source: string, eventId: string): Promise<NotificationRecord | null> {
      const row = await db
        .select()
        .from(notifications)
        .where(and(eq(notifications.eventSource, source), eq(notifications.eventId, eventId)))
        .get()
      return row ? toRecord(row) : null
    },

    /** Claims the notification of an event for its first delivery attempt (none if already delivered or exhausted). */
    async claimForEvent(source: string, eventId: string, now: string, maxAttempts: number): Promise<NotificationRecord[]> {
      const rows = await db
        .update(notifications)
        .set(claim(now))
        .where(
          and(
            eq(notifications.eventSource, source),
            eq(notifications.eventId, eventId),
            ne(notifications.deliveryStatus, 'delivered'),
            lt(notifications.deliveryAttempts, maxAttempts),
          ),
        )
        .returning()
      return rows.map(toRecord)
    },

    /** Claims pending or failed notifications whose last attempt is old enough, oldest first. */
    async claimDue({ cutoff, maxAttempts, limit, now }: ClaimDueOptions): Promise<NotificationRecord[]> {
      const due = db
        .select({ id: notifications.id })
        .from(notifications)
        .where(
          and(
            inArray(notifications.deliveryStatus, ['pending', 'failed']),
            lt(notifications.deliveryAttempts, maxAttempts),
            lte(sql`coalesce(${notifications.lastAttemptAt}, ${notifications.recordedAt})`, cutoff),
          ),
        )
        .orderBy(asc(notifications.recordedAt), asc(notifications.id))
        .limit(limit)
      const rows = await db.update(notifications).set(claim(now)).where(inArray(notifications.id, due)).returning()
      return rows.map(toRecord)
    },

    async recordOutcome(id: string, status: Exclude<DeliveryStatus, 'pending'>, error: string | null): Promise<void> {
      await db.update(notifications).set({ deliveryStatus: status, lastDeliveryError: error }).where(eq(notifications.id, id))
    },
  }
}
