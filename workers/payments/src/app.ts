import { deadLetterRoutes } from '../../../platform/events/dead-letters'
import { d1Ready } from '../../../platform/http/health'
import { createInternalApp } from '../../../platform/http/internal-app'
import type { PaymentsEnv } from './env'
import { SERVICE } from './events/payment-events'
import { paymentsRoutes } from './routes/payments'
import { services } from './services'

// HTTP serves reads only (writes are RPC: rpc.ts), so no relay runs after responses here.
export const app = createInternalApp<PaymentsEnv>(SERVICE, (env) => d1Ready(env.DB))

app.use(services())
app.route('/api/v1/payments', paymentsRoutes)
// The gateway's admin API reaches these: dead letters of this service's queue.
app.route('/', deadLetterRoutes<PaymentsEnv>((env) => ({ db: env.DB, queue: env.EVENTS_PAYMENTS })))
