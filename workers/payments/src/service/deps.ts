import { createLogger } from '../../../../platform/telemetry/log'
import type { PaymentProvider } from '../provider/provider'
import type { PaymentsRepo } from '../repo/payments-repo'

export interface PaymentsDeps {
  repo: PaymentsRepo
  provider: PaymentProvider
  now: () => Date
}

/** The idempotency key the provider sees: namespaced, so a charge and a refund never share one. */
export const providerKey = (operation: 'charge' | 'refund' | 'void', key: string) => `payments:${operation}:${key}`

/** Concurrent calls settle races by re-reading; this many rounds is more than any race needs. */
export const MAX_ROUNDS = 4

const logger = createLogger('payments')

export function log(level: 'info' | 'error', message: string, fields: Record<string, unknown>) {
  logger[level](message, fields)
}
