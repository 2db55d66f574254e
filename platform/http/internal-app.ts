import { Hono, type Env as HonoEnv } from 'hono'
import type { Caller } from '../auth/internal-credential'
import { faultInjection, faultRoutes, type FaultBindings } from '../faults/faults'
import { notFound, onError } from './errors'
import { healthRoutes } from './health'
import { requireGatewayCredential, type InternalAuthBindings } from './internal-auth'
import type { ConfigOf, VarsOf } from '../env/config'
import { requiredTextVar } from '../env/vars'
import { useConfig } from './config'
import { BODY_LIMIT_VARS, bodyLimitsOf, releaseUnreadBody, requestBody, type BodyLimits } from './request-body'
import { requestId } from './request-id'
import { sweepRoutes, type Sweep } from './sweep'

/** The vars every internal Worker's config starts with. */
export const INTERNAL_VARS = { ENVIRONMENT: requiredTextVar(), ...BODY_LIMIT_VARS }

/** What every internal Worker's config holds. */
export interface InternalConfig {
  /** `production`, `staging`, `development` or `test`. */
  environment: string
  bodyLimits: BodyLimits
}

export const internalConfig = (vars: VarsOf<typeof INTERNAL_VARS>): InternalConfig => ({
  environment: vars.ENVIRONMENT,
  bodyLimits: bodyLimitsOf(vars),
})

export interface InternalEnv extends HonoEnv {
  Bindings: InternalAuthBindings & FaultBindings
  Variables: { caller: Caller; requestId: string; config: InternalConfig }
}

/**
 * What every internal Worker's app starts with, in this order: request id → its config (parsed
 * once per configuration; a bad var answers every request 500, ./config.ts) → the gateway
 * credential (zero trust: nothing answers without it) → the body, read in full within the same
 * size limit and client deadline as at the gateway (`MAX_BODY_BYTES`, `CLIENT_BODY_TIMEOUT_MS`),
 * so a slow caller inside the system cannot hold a handler either → health and readiness → the
 * sweep the gateway's cron asks for (before any `/internal/*` role check a Worker adds) → fault
 * injection (local development only) → the one error handler and the problem+json 404.
 */
export function createInternalApp<E extends InternalEnv>(
  service: string,
  config: ConfigOf<E['Variables']['config']>,
  isReady: (env: E['Bindings']) => Promise<boolean>,
  sweep: Sweep<E['Bindings']>,
): Hono<E> {
  const app = new Hono<E>()
  app.use(requestId())
  app.use(useConfig(config))
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
