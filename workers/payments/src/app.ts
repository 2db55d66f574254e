import { Hono } from 'hono'
import { requireGatewayCredential } from '../../../platform/http/internal-auth'
import { healthRoutes, d1Ready } from '../../../platform/http/health'
import { notFound, onError } from '../../../platform/http/errors'
import { requestId } from '../../../platform/http/request-id'
import type { PaymentsEnv } from './env'
import { SERVICE } from './events/payment-events'
import { paymentsRoutes } from './routes/payments'
import { services } from './services'

// HTTP serves reads only (writes are RPC: rpc.ts), so no relay runs after responses here.
export const app = new Hono<PaymentsEnv>()

app.use(requestId())
app.use(requireGatewayCredential(SERVICE))
app.route('/', healthRoutes<PaymentsEnv>(SERVICE, (env) => d1Ready(env.DB)))
app.use(services())
app.route('/api/v1/payments', paymentsRoutes)

app.onError(onError(SERVICE))
app.notFound(notFound)
