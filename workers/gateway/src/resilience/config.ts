import type { VarsOf } from '../../../../platform/env/config'
import { durationMsVar, intVar, onOffVar } from '../../../../platform/env/vars'

/** The gateway vars the resilience layer reads (all optional), part of the gateway's config. */
export const RESILIENCE_VARS = {
  /** `off` forwards with a plain fetch and a timeout (the benchmark's baseline); `on` by default. */
  RESILIENCE: onOffVar('on'),
  /** One attempt's timeout. */
  UPSTREAM_TIMEOUT_MS: durationMsVar(5_000),
  /** A call's overall deadline, retries included. */
  UPSTREAM_DEADLINE_MS: durationMsVar(10_000),
  /** The bulkhead: calls in flight per downstream and isolate. */
  UPSTREAM_MAX_CONCURRENT: intVar(100),
}

export interface ResilienceConfig {
  enabled: boolean
  timeoutMs: number
  deadlineMs: number
  maxConcurrent: number
}

export const resilienceConfigOf = (vars: VarsOf<typeof RESILIENCE_VARS>): ResilienceConfig => ({
  enabled: vars.RESILIENCE,
  timeoutMs: vars.UPSTREAM_TIMEOUT_MS,
  deadlineMs: vars.UPSTREAM_DEADLINE_MS,
  maxConcurrent: vars.UPSTREAM_MAX_CONCURRENT,
})
