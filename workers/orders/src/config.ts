import { defineConfig } from '../../../platform/env/config'
import { durationMsVar } from '../../../platform/env/vars'
import { RETRY_VARS } from '../../../platform/events/consumer'
import { eventRetentionMs, RETENTION_VARS } from '../../../platform/events/retention'
import { INTERNAL_VARS, internalConfig } from '../../../platform/http/internal-app'
import { DEFAULT_SAGA_RETRY_HORIZON_MS } from './saga/place-order'

/** Every var the orders Worker (and the saga coordinator it hosts) reads, parsed once per configuration. */
export const ordersConfig = defineConfig(
  {
    ...INTERNAL_VARS,
    ...RETENTION_VARS,
    ...RETRY_VARS,
    /** How long a saga step is retried from its first attempt. */
    SAGA_RETRY_HORIZON_MS: durationMsVar(DEFAULT_SAGA_RETRY_HORIZON_MS),
  },
  (vars) => ({
    ...internalConfig(vars),
    eventRetentionMs: eventRetentionMs(vars),
    retryBaseSeconds: vars.RETRY_BASE_SECONDS,
    sagaRetryHorizonMs: vars.SAGA_RETRY_HORIZON_MS,
  }),
)

export type OrdersConfig = ReturnType<typeof ordersConfig>
