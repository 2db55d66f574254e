import { pageSchema } from '../api-schemas'
import { EXAMPLES } from '../api-examples'
import { NotificationListQuerySchema, NotificationSchema } from '../notifications'
import { route, SIGNED_IN } from '../route'

export const listNotifications = route({
  method: 'GET',
  path: '/api/v1/notifications',
  service: 'notifications',
  access: SIGNED_IN,
  summary: "The caller's notifications, newest first",
  tag: 'Notifications',
  query: NotificationListQuerySchema,
  success: { status: 200, schema: pageSchema(NotificationSchema), example: { items: [EXAMPLES.notification], next_cursor: null } },
})
