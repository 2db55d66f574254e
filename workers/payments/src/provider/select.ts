import { d1AttemptCounter } from './attempts'
import { guardProvider } from './guarded'
import type { PaymentProvider } from './provider'
import { createSandboxProvider } from './sandbox'

export const PAYMENT_PROVIDERS = ['sandbox'] as const

/**
 * The provider named by PAYMENT_PROVIDER. An unknown name is a configuration error: it throws
 * (a 500 with the reason logged) rather than charging through the wrong provider. Every provider
 * is guarded: its answers are bounded in time and validated before the service sees them.
 */
export function createProvider(name: string | undefined, db: D1Database): PaymentProvider {
  switch (name) {
    case 'sandbox':
      return guardProvider(createSandboxProvider(d1AttemptCounter(db)))
    default:
      throw new Error(`PAYMENT_PROVIDER must be one of ${PAYMENT_PROVIDERS.join(', ')}; got ${JSON.stringify(name)}`)
  }
}
