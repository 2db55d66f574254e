import { deadLetterRoutes } from '../../../platform/events/dead-letters'
import { d1Ready } from '../../../platform/http/health'
import { createInternalApp } from '../../../platform/http/internal-app'
import type { NotificationsEnv } from './services'
import { notificationRoutes } from './routes/notifications'
import { requireRole } from '../../../platform/http/require-role'
import { services } from './services'
import { notificationsConfig } from './config'
import { sweep } from './events/sweep'

const SERVICE = 'notifications'

export const app = createInternalApp<NotificationsEnv>(SERVICE, notificationsConfig, (env) => d1Ready(env.DB), sweep)

app.use(services())
app.route('/api/v1/notifications', notificationRoutes)
// The gateway's admin API reaches these: dead letters of this service's queue.
app.use('/internal/*', requireRole('admin'))
app.route(
  '/',
  deadLetterRoutes<NotificationsEnv>(SERVICE, (env) => ({ db: env.DB, queue: env.EVENTS_NOTIFICATIONS })),
)
