import { z } from 'zod'
import { ListQuerySchema } from './pagination'

/** What a notification is about. Order confirmed / cancelled join when their events exist. */
export const NOTIFICATION_TYPES = ['welcome', 'order_confirmed', 'order_cancelled'] as const
export const NotificationTypeSchema = z.enum(NOTIFICATION_TYPES)
export type NotificationType = z.infer<typeof NotificationTypeSchema>

export const NOTIFICATION_CHANNELS = ['email'] as const
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number]

/** A notification as its owner sees it: no recipient, body or delivery internals. */
export const NotificationSchema = z.object({
  id: z.string(),
  type: NotificationTypeSchema,
  channel: z.enum(NOTIFICATION_CHANNELS),
  subject: z.string(),
  order_id: z.string().nullable(),
  created_at: z.string(),
})
export type Notification = z.infer<typeof NotificationSchema>

/** `GET /api/v1/notifications?limit=&cursor=`: newest first. */
export const NotificationListQuerySchema = ListQuerySchema
export type NotificationListQuery = z.infer<typeof NotificationListQuerySchema>
