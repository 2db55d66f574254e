import type { Notification, NotificationChannel, NotificationType } from '../../../../shared-contracts/notifications'

export type DeliveryStatus = 'pending' | 'delivered' | 'failed'

/** A notification as this service keeps it. */
export interface NotificationRecord {
  id: string
  user_id: string
  type: NotificationType
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

/** The public shape (DESIGN §4): what the owner may see. */
export function toPublic(record: NotificationRecord): Notification {
  const { id, type, channel, subject, order_id, created_at } = record
  return { id, type, channel, subject, order_id, created_at }
}

export const newNotificationId = () => `ntf_${crypto.randomUUID().replaceAll('-', '')}`
