import { Hono } from 'hono'
import { env } from 'cloudflare:workers'
import { ROUTES } from '../../../shared-contracts/routes'
import { notFound, onError } from '../../../platform/http/errors'
import { releaseUnreadBody, requestBody } from '../../../platform/http/request-body'
import { requestId } from '../../../platform/http/request-id'
import type { Env, GatewayEnv } from './env'
import { forward } from './forward'
import { authenticate } from './middleware/authenticate'
import { authorize } from './middleware/authorize'
import { countRefusals } from './middleware/count-refusals'
import { headerLimit } from './middleware/header-limit'
import { observe } from './middleware/observe'
import { requireJsonBody } from './middleware/content-type'
import { cors } from './middleware/cors'
import { deprecation } from './middleware/deprecation'
import { Limiter, rateLimit, rateLimitOptionsFrom } from './middleware/rate-limit'
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

// The order is the security design (docs/adr/0030): each step runs only if the one before it
// passed, and the cheap refusals come first. No step before the body stage reads a byte of the
// body, so an unknown path, a wrong method, a bad token, a refused policy or a spent quota is
// answered at once however slowly the body arrives; only a request that will be handled is read,
// within the size limit and the client deadline. Every refusal spends the client's anonymous quota.
const limiter = new Limiter(rateLimitOptionsFrom(env as Partial<Env>))
app.use(requestId())
app.use(releaseUnreadBody())
app.use(observe(ROUTES))
app.use(securityHeaders())
app.use(cors())
app.use(services())
app.use(countRefusals(limiter))
app.use(headerLimit())
app.use(authenticate())
app.use(authorize(ROUTES))
app.use(deprecation(ROUTES))
app.use(rateLimit(limiter))
app.use(requireJsonBody())
app.use(requestBody(env as Partial<Env>))
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
