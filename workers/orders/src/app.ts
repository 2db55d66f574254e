import { replayRoutes } from '../../../platform/events/replay'
import { deadLetterRoutes } from '../../../platform/events/dead-letters'
import { relayAfterResponse } from '../../../platform/events/relay-middleware'
import { d1Ready } from '../../../platform/http/health'
import { createInternalApp } from '../../../platform/http/internal-app'
import { shardsOf } from '../../../platform/db/shards'
import { requireRole } from '../../../platform/http/require-role'
import type { OrdersEnv } from './services'
import { adminReadModelRoutes } from './routes/admin-read-models'
import { adminSagaRoutes } from './routes/admin-sagas'
import { orderRoutes, orderRoutesV2 } from './routes/orders'
import { services } from './services'
import { ordersConfig } from './config'
import { sweep } from './events/sweep'

const SERVICE = 'orders'

/** Ready when every shard answers (docs/adr/0067). */
const ready = async (env: OrdersEnv['Bindings']) => (await Promise.all(shardsOf(env).map(d1Ready))).every(Boolean)

export const app = createInternalApp<OrdersEnv>(SERVICE, ordersConfig, ready, sweep)

// The relay first: the services it is followed by write through databases that record the
// outbox rows they insert, which the relay sends after the response in one statement a shard.
app.use(relayAfterResponse<OrdersEnv>('orders'))
app.use(services())
app.route('/api/v1/orders', orderRoutes)
app.route('/api/v2/orders', orderRoutesV2)
app.route('/api/v1/admin/sagas', adminSagaRoutes)
// The gateway's admin API reaches these: dead letters of this service's queue, the read model's
// rebuild, a replay of its outbox.
app.use('/internal/*', requireRole('admin'))
app.route(
  '/',
  // Dead letters are kept on shard 0.
  deadLetterRoutes<OrdersEnv>(SERVICE, (env) => ({ db: env.DB, queue: env.EVENTS_ORDERS })),
)
app.route('/internal/read-models', adminReadModelRoutes)
app.route('/', replayRoutes<OrdersEnv>())
