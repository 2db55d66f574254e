import { Hono } from 'hono'
import { deadLetterRoutes } from '../../../platform/events/dead-letters'
import { d1Ready, healthRoutes } from '../../../platform/http/health'
import { notFound, onError } from '../../../platform/http/errors'
import { requireGatewayCredential } from '../../../platform/http/internal-auth'
import { requestId } from '../../../platform/http/request-id'
import type { NotificationsEnv } from './env'
import { notificationRoutes } from './routes/notifications'
import { requireRole } from './routes/require-role'
import { services } from './services'

const SERVICE = 'notifications'

export const app = new Hono<NotificationsEnv>()

app.use(requestId())
app.use(requireGatewayCredential(SERVICE))
app.route('/', healthRoutes<NotificationsEnv>(SERVICE, (env) => d1Ready(env.DB)))
app.use(services())
app.route('/api/v1/notifications', notificationRoutes)
// The gateway's admin API reaches these: dead letters of this service's queue.
app.use('/internal/*', requireRole('admin'))
app.route('/', deadLetterRoutes<NotificationsEnv>((env) => ({ db: env.DB, queue: env.EVENTS_NOTIFICATIONS })))

app.onError(onError(SERVICE))
app.notFound(notFound)
