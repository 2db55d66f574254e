import type { Notification, NotificationChannel, NotificationType } from '../../../../shared-contracts/notifications'

export type DeliveryStatus = 'pending' | 'delivered' | 'failed'

/**
 * What a notification is about. The contract (shared-contracts/notifications.ts, not this
 * service's to change) lists only `welcome` so far; the order outcomes are added here until it
 * lists them too, and then this is the contract's type again.
 */
export type NotificationKind = NotificationType | 'order_confirmed' | 'order_cancelled'

/** The public shape, with the kinds above. */
export type PublicNotification = Omit<Notification, 'type'> & { type: NotificationKind }

/** A notification as this service keeps it. */
export interface NotificationRecord {
  id: string
  user_id: string
  type: NotificationKind
  channel: NotificationChannel
  /** The address on its channel: an email address. */
  recipient: string
  subject: string
  body: string
  /** null for notifications not about an order (welcome). */
  order_id: string | null
  created_at: string
  delivery_status: DeliveryStatus
  delivery_attempts: number
}

/** What an event handler decides to send; the rest (id, times, status) is filled in on recording. */
export type NotificationDraft = Pick<NotificationRecord, 'user_id' | 'type' | 'channel' | 'recipient' | 'subject' | 'body' | 'order_id'>

/** The public shape: what the owner may see. */
export function toPublic(record: NotificationRecord): PublicNotification {
  const { id, type, channel, subject, order_id, created_at } = record
  return { id, type, channel, subject, order_id, created_at }
}

export const newNotificationId = () => `ntf_${crypto.randomUUID().replaceAll('-', '')}`
