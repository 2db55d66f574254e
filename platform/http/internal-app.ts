import { Hono, type Env as HonoEnv } from 'hono'
import type { Caller } from '../auth/internal-credential'
import { faultInjection, faultRoutes, type FaultBindings } from '../faults/faults'
import { notFound, onError } from './errors'
import { healthRoutes } from './health'
import { requireGatewayCredential, type InternalAuthBindings } from './internal-auth'
import { releaseUnreadBody, requestBody, type BodyLimitVars } from './request-body'
import { requestId } from './request-id'
import { sweepRoutes, type Sweep } from './sweep'

export interface InternalEnv extends HonoEnv {
  Bindings: InternalAuthBindings & FaultBindings & BodyLimitVars
  Variables: { caller: Caller; requestId: string }
}

/**
 * What every internal Worker's app starts with, in this order: request id → the gateway
 * credential (zero trust: nothing answers without it) → the body, read in full within the same
 * size limit and client deadline as at the gateway (`MAX_BODY_BYTES`, `CLIENT_BODY_TIMEOUT_MS`),
 * so a slow caller inside the system cannot hold a handler either → health and readiness → the
 * sweep the gateway's cron asks for (before any `/internal/*` role check a Worker adds) → fault
 * injection (local development only) → the one error handler and the problem+json 404.
 */
export function createInternalApp<E extends InternalEnv>(
  service: string,
  isReady: (env: E['Bindings']) => Promise<boolean>,
  sweep: Sweep<E['Bindings']>,
): Hono<E> {
  const app = new Hono<E>()
  app.use(requestId())
  app.use(releaseUnreadBody())
  app.use(requireGatewayCredential(service))
  app.use(requestBody())
  app.route('/', healthRoutes<E>(service, isReady))
  app.route('/', sweepRoutes<E>(sweep))
  app.route('/', faultRoutes() as unknown as Hono<E>)
  app.use(faultInjection())
  app.onError(onError(service))
  app.notFound(notFound)
  return app
}
