import { deadLetterRoutes } from '../../../platform/events/dead-letters'
import { replayRoutes } from '../../../platform/events/replay'
import { requireRole } from '../../../platform/http/require-role'
import { d1Ready } from '../../../platform/http/health'
import { createInternalApp } from '../../../platform/http/internal-app'
import type { PaymentsEnv } from './services'
import { SERVICE } from './events/payment-events'
import { paymentsRoutes } from './routes/payments'
import { services } from './services'
import { paymentsConfig } from './config'
import { sweep } from './events/sweep'

// HTTP serves reads only (writes are RPC: rpc.ts), so no relay runs after responses here.
export const app = createInternalApp<PaymentsEnv>(SERVICE, paymentsConfig, (env) => d1Ready(env.DB), sweep)

app.use(services())
app.route('/api/v1/payments', paymentsRoutes)
// The gateway's admin API reaches these: a replay of this service's retained outbox events, and
// the dead letters of its queue.
app.use('/internal/*', requireRole('admin'))
app.route('/', replayRoutes<PaymentsEnv>())
app.route(
  '/',
  deadLetterRoutes<PaymentsEnv>(SERVICE, (env) => ({ db: env.DB, queue: env.EVENTS_PAYMENTS })),
)
