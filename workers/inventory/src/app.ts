import { replayRoutes } from '../../../platform/events/replay'
import { relayAfterResponse } from '../../../platform/events/relay-middleware'
import { d1Ready } from '../../../platform/http/health'
import { createInternalApp } from '../../../platform/http/internal-app'
import { requireRole } from '../../../platform/http/require-role'
import type { InventoryEnv } from './services'
import { productRoutes } from './routes/products'
import { stockRoutes } from './routes/stock'
import { services } from './services'
import { inventoryConfig } from './config'
import { sweep } from './events/sweep'

const SERVICE = 'inventory'

export const app = createInternalApp<InventoryEnv>(SERVICE, inventoryConfig, (env) => d1Ready(env.DB), sweep)

// The relay first: the services are built over its env, whose D1 records the outbox rows a write makes.
app.use(relayAfterResponse<InventoryEnv>('inventory'))
app.use(services())
app.route('/api/v1/products', productRoutes)
app.route('/api/v1/inventory', stockRoutes)
// The gateway's admin API reaches these: replay of this service's retained events.
app.use('/internal/*', requireRole('admin'))
app.route('/', replayRoutes<InventoryEnv>())
