import { Hono } from 'hono'
import { relayAfterResponse } from '../../../platform/events/relay-middleware'
import { requireGatewayCredential } from '../../../platform/http/internal-auth'
import { healthRoutes, d1Ready } from '../../../platform/http/health'
import { notFound, onError } from '../../../platform/http/errors'
import { requestId } from '../../../platform/http/request-id'
import type { InventoryEnv } from './env'
import { productRoutes } from './routes/products'
import { stockRoutes } from './routes/stock'
import { services } from './services'

const SERVICE = 'inventory'

export const app = new Hono<InventoryEnv>()

app.use(requestId())
app.use(requireGatewayCredential(SERVICE))
app.route('/', healthRoutes<InventoryEnv>(SERVICE, (env) => d1Ready(env.DB)))
app.use(services())
app.use(relayAfterResponse<InventoryEnv>((env) => env.DB))
app.route('/api/v1/products', productRoutes)
app.route('/api/v1/inventory', stockRoutes)

app.onError(onError(SERVICE))
app.notFound(notFound)
