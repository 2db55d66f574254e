import { defineConfig } from '../../../platform/env/config'
import { oneOfVar } from '../../../platform/env/vars'
import { RETRY_VARS } from '../../../platform/events/consumer'
import { eventRetentionMs, RETENTION_VARS } from '../../../platform/events/retention'
import { INTERNAL_VARS, internalConfig } from '../../../platform/http/internal-app'
import { PAYMENT_PROVIDERS } from './provider/select'

/**
 * Every var the payments Worker reads, parsed once per configuration. PAYMENT_PROVIDER is
 * required: a deployment names the provider it charges through, never a default.
 */
export const paymentsConfig = defineConfig(
  { ...INTERNAL_VARS, ...RETENTION_VARS, ...RETRY_VARS, PAYMENT_PROVIDER: oneOfVar(PAYMENT_PROVIDERS) },
  (vars) => ({
    ...internalConfig(vars),
    eventRetentionMs: eventRetentionMs(vars),
    retryBaseSeconds: vars.RETRY_BASE_SECONDS,
    paymentProvider: vars.PAYMENT_PROVIDER,
  }),
)

export type PaymentsConfig = ReturnType<typeof paymentsConfig>
