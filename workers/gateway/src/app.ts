import { Hono } from 'hono'
import { env } from 'cloudflare:workers'
import { ROUTES } from '../../../shared-contracts/routes'
import { notFound, onError } from '../../../platform/http/errors'
import { requestId } from '../../../platform/http/request-id'
import type { Env, GatewayEnv } from './env'
import { forward } from './forward'
import { authenticate } from './middleware/authenticate'
import { authorize } from './middleware/authorize'
import { bodyLimit } from './middleware/body-limit'
import { headerLimit } from './middleware/header-limit'
import { observe } from './middleware/observe'
import { requireJsonBody } from './middleware/content-type'
import { cors } from './middleware/cors'
import { deprecation } from './middleware/deprecation'
import { rateLimit, rateLimitOptionsFrom } from './middleware/rate-limit'
import { securityHeaders } from './middleware/security-headers'
import { circuitBreakerRoutes } from './routes/circuit-breakers'
import { deadLetterRoutes } from './routes/dead-letters'
import { docsRoutes } from './routes/docs'
import { faultRoutes } from './routes/faults'
import { healthRoutes } from './routes/health'
import { openApiRoutes } from './routes/openapi'
import { operationsRoutes } from './routes/operations'
import { services } from './services'

export const app = new Hono<GatewayEnv>()

// The order is the security design (issue 2): each step runs only if the one before it passed.
app.use(requestId())
app.use(observe(ROUTES))
app.use(securityHeaders())
app.use(cors())
app.use(headerLimit())
app.use(bodyLimit())
app.use(requireJsonBody())
app.use(services())
app.use(authenticate())
app.use(authorize(ROUTES))
app.use(deprecation(ROUTES))
app.use(rateLimit(rateLimitOptionsFrom(env as Partial<Env>)))
app.use(forward())

// Routes the gateway serves itself (rows whose service is `gateway` in the route table).
app.route('/', healthRoutes)
app.route('/', deadLetterRoutes)
app.route('/', operationsRoutes)
app.route('/', faultRoutes)
app.route('/', circuitBreakerRoutes)
app.route('/', openApiRoutes)
app.route('/', docsRoutes)

app.onError(onError('gateway'))
app.notFound(notFound)
