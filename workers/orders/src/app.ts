import { Hono } from 'hono'
import { deadLetterRoutes } from '../../../platform/events/dead-letters'
import { relayAfterResponse } from '../../../platform/events/relay-middleware'
import { d1Ready, healthRoutes } from '../../../platform/http/health'
import { notFound, onError } from '../../../platform/http/errors'
import { requireGatewayCredential } from '../../../platform/http/internal-auth'
import { requestId } from '../../../platform/http/request-id'
import { requireRole } from '../../../platform/http/require-role'
import type { OrdersEnv } from './env'
import { adminSagaRoutes } from './routes/admin-sagas'
import { orderRoutes, orderRoutesV2 } from './routes/orders'
import { services } from './services'

const SERVICE = 'orders'

export const app = new Hono<OrdersEnv>()

app.use(requestId())
app.use(requireGatewayCredential(SERVICE))
app.route('/', healthRoutes<OrdersEnv>(SERVICE, (env) => d1Ready(env.DB)))
app.use(services())
app.use(relayAfterResponse<OrdersEnv>((env) => env.DB))
app.route('/api/v1/orders', orderRoutes)
app.route('/api/v2/orders', orderRoutesV2)
app.route('/api/v1/admin/sagas', adminSagaRoutes)
// The gateway's admin API reaches these: dead letters of this service's queue.
app.use('/internal/*', requireRole('admin'))
app.route('/', deadLetterRoutes<OrdersEnv>((env) => ({ db: env.DB, queue: env.EVENTS_ORDERS })))

app.onError(onError(SERVICE))
app.notFound(notFound)
