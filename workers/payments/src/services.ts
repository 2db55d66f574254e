import type { MiddlewareHandler } from 'hono'
import { createProvider } from './provider/select'
import { createPaymentsRepo } from './repo/payments-repo'
import { createPaymentsService, type PaymentsService } from './service/payments-service'
import type { Env, PaymentsEnv } from './env'

/** The payments service over this env's D1 and the provider PAYMENT_PROVIDER names. */
export function paymentsService(env: Env): PaymentsService {
  return createPaymentsService({
    repo: createPaymentsRepo(env.DB),
    provider: createProvider(env.PAYMENT_PROVIDER, env.DB),
    now: () => new Date(),
  })
}

/** Builds the services a request needs, once, and sets them on the context. */
export function services(): MiddlewareHandler<PaymentsEnv> {
  return async function services(c, next) {
    c.set('services', { payments: paymentsService(c.env) })
    await next()
  }
}
