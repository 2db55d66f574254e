import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { NotificationChannel } from '../../../../shared-contracts/notifications'
import type { DeliveryStatus, NotificationKind } from '../service/notification'

export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    type: text('type').$type<NotificationKind>().notNull(),
    channel: text('channel').$type<NotificationChannel>().notNull(),
    /** Where it goes on its channel (an email address). */
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    orderId: text('order_id'),
    /** When what it announces happened: the event's time. */
    createdAt: text('created_at').notNull(),
    /** When this service wrote it: the delivery sweep measures from here. */
    recordedAt: text('recorded_at').notNull(),
    /** The event it came from: one notification per event, inbox or not. */
    eventSource: text('event_source').notNull(),
    eventId: text('event_id').notNull(),
    deliveryStatus: text('delivery_status').$type<DeliveryStatus>().notNull().default('pending'),
    /** Counted when an attempt starts, so a crash mid-delivery still counts against the bound. */
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    lastAttemptAt: text('last_attempt_at'),
    /** A short reason (`http_500`, `timeout`...): never a receiver's body or a URL. */
    lastDeliveryError: text('last_delivery_error'),
  },
  (table) => [
    uniqueIndex('notifications_event_unique').on(table.eventSource, table.eventId),
    index('notifications_user_created').on(table.userId, table.createdAt, table.id),
    index('notifications_delivery').on(table.deliveryStatus, table.recordedAt),
  ],
)

export type NotificationRow = typeof notifications.$inferSelect
export type NewNotificationRow = typeof notifications.$inferInsert

/**
 * Where to reach each user, copied from users' events (event-carried state transfer): order events
 * name only the user, and notifications never calls users to ask.
 */
export const contacts = sqliteTable('contacts', {
  userId: text('user_id').primaryKey(),
  email: text('email').notNull(),
  name: text('name').notNull(),
  /** The time of the event it was copied from: an older event never overwrites a newer one. */
  updatedAt: text('updated_at').notNull(),
})

export type ContactRow = typeof contacts.$inferSelect

// notifications consumes events (inbox) and keeps what exhausted its retries (dead letters).
export { inbox, deadLetters } from '../../../../platform/events/tables'
// The users it has erased: their late events are ignored (docs/adr/0028).
export { erasedUsers } from '../../../../platform/privacy/erasures'
