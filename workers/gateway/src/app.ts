import { Hono } from 'hono'
import { env } from 'cloudflare:workers'
import { ROUTES } from '../../../shared-contracts/routes'
import { notFound, onError } from '../../../platform/http/errors'
import { releaseUnreadBody, requestBody } from '../../../platform/http/request-body'
import { requestId } from '../../../platform/http/request-id'
import type { GatewayEnv } from './services'
import { gatewayConfig } from './config'
import { configAtStartup, useConfig } from '../../../platform/http/config'
import { forward } from './forward'
import { hitPath } from './hit-path'
import type { Env } from './env'
import { authenticate } from './middleware/authenticate'
import { authorize } from './middleware/authorize'
import { countRefusals } from './middleware/count-refusals'
import { headerLimit } from './middleware/header-limit'
import { observe } from './middleware/observe'
import { requireJsonBody } from './middleware/content-type'
import { cors } from './middleware/cors'
import { deprecation } from './middleware/deprecation'
import { Limiter, rateLimit } from './middleware/rate-limit'
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
// The config is parsed at start-up (a bad var is logged at once) and again, from the cache, by
// every request: with a bad var each request answers 500 `internal_error` (platform/http/config.ts).
const startup = configAtStartup(gatewayConfig, env, 'gateway')
const limiter = new Limiter(startup?.rateLimits)
app.use(requestId())
app.use(useConfig(gatewayConfig))
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
app.use(requestBody())
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

/**
 * The gateway's fetch: a hit of its cache of anonymous reads is answered before the app, with
 * everything the middleware above would give it (hit-path.ts, docs/adr/0058);
 * every other request, and any hit the path leaves, goes through the app.
 */
export const answerHit = hitPath({ routes: ROUTES, limiter, config: gatewayConfig })
export const fetchGateway = (request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> =>
  answerHit(request, env, ctx) ?? app.fetch(request, env, ctx)
