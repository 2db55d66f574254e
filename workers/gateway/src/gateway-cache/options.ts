import type { VarsOf } from '../../../../platform/env/config'
import { intVar, onOffVar } from '../../../../platform/env/vars'

export interface GatewayCacheOptions {
  enabled: boolean
  maxEntries: number
  maxBytes: number
}

/**
 * The GATEWAY_CACHE* vars, part of the gateway's config (docs/caching.md); unset or empty means
 * the default. `GATEWAY_CACHE=off` turns the cache off (the benchmark, to measure inventory's
 * levels behind it).
 */
export const GATEWAY_CACHE_VARS = {
  GATEWAY_CACHE: onOffVar('on'),
  GATEWAY_CACHE_MAX_ENTRIES: intVar(1000),
  GATEWAY_CACHE_MAX_BYTES: intVar(4 * 1024 * 1024),
}

export const gatewayCacheOptionsOf = (vars: VarsOf<typeof GATEWAY_CACHE_VARS>): GatewayCacheOptions => ({
  enabled: vars.GATEWAY_CACHE,
  maxEntries: vars.GATEWAY_CACHE_MAX_ENTRIES,
  maxBytes: vars.GATEWAY_CACHE_MAX_BYTES,
})
