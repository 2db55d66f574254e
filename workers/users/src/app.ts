import { relayAfterResponse } from '../../../platform/events/relay-middleware'
import { d1Ready } from '../../../platform/http/health'
import { createInternalApp } from '../../../platform/http/internal-app'
import type { UsersEnv } from './env'
import { adminUserRoutes } from './routes/admin-users'
import { authRoutes } from './routes/auth'
import { meRoutes } from './routes/me'
import { services } from './services'

const SERVICE = 'users'

export const app = createInternalApp<UsersEnv>(SERVICE, (env) => d1Ready(env.DB))

app.use(services())
app.use(relayAfterResponse<UsersEnv>('users', (env) => env.DB))
app.get('/.well-known/jwks.json', (c) => c.json(c.var.services.users.jwks(), 200, { 'Cache-Control': 'public, max-age=300' }))
app.route('/api/v1/auth', authRoutes)
app.route('/api/v1/users/me', meRoutes)
app.route('/api/v1/admin/users', adminUserRoutes)
