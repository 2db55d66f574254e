import type { MiddlewareHandler } from 'hono'
import { createProvider } from './provider/select'
import { createPaymentsRepo } from './repo/payments-repo'
import { createPaymentsService, type PaymentsService } from './service/payments-service'
import { paymentsConfig, type PaymentsConfig } from './config'
import type { Env } from './env'
import type { Caller } from '../../../platform/auth/internal-credential'

/** The payments service over this env's D1 and the provider PAYMENT_PROVIDER names. */
export function paymentsService(env: Env, config: PaymentsConfig = paymentsConfig(env)): PaymentsService {
  return createPaymentsService({
    repo: createPaymentsRepo(env.DB),
    provider: createProvider(config.paymentProvider, env.DB),
    now: () => new Date(),
  })
}

/** Builds the services a request needs, once, and sets them on the context. */
export function services(): MiddlewareHandler<PaymentsEnv> {
  return async function services(c, next) {
    c.set('services', { payments: paymentsService(c.env, c.var.config) })
    await next()
  }
}

/** The Hono env of this Worker's app: its bindings, and what its middleware sets on the context. */
export interface PaymentsEnv {
  Bindings: Env
  Variables: {
    requestId: string
    caller: Caller
    config: PaymentsConfig
    services: { payments: PaymentsService }
  }
}
