import { requireRole } from '../../../platform/http/require-role'
import { replayRoutes } from '../../../platform/events/replay'
import { relayAfterResponse } from '../../../platform/events/relay-middleware'
import { d1Ready } from '../../../platform/http/health'
import { createInternalApp } from '../../../platform/http/internal-app'
import type { UsersEnv } from './services'
import { adminUserRoutes } from './routes/admin-users'
import { authRoutes } from './routes/auth'
import { meRoutes } from './routes/me'
import { services } from './services'
import { usersConfig } from './config'
import { sweep } from './events/sweep'

const SERVICE = 'users'

export const app = createInternalApp<UsersEnv>(SERVICE, usersConfig, (env) => d1Ready(env.DB), sweep)

// The relay first: the services it is followed by write through a database that records the
// outbox rows they insert, which the relay sends after the response in one statement.
app.use(relayAfterResponse<UsersEnv>('users'))
app.use(services())
app.get('/.well-known/jwks.json', (c) => c.json(c.var.services.users.jwks(), 200, { 'Cache-Control': 'public, max-age=300' }))
app.route('/api/v1/auth', authRoutes)
app.route('/api/v1/users/me', meRoutes)
app.route('/api/v1/admin/users', adminUserRoutes)
// The gateway's admin API reaches these: a replay of this service's retained outbox events.
app.use('/internal/*', requireRole('admin'))
app.route('/', replayRoutes<UsersEnv>())
