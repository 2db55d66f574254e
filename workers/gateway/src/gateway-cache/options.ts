import { defineConfig, type VarsOf } from '../../../../platform/env/config'
import { intVar, onOffVar } from '../../../../platform/env/vars'

/** The GATEWAY_CACHE* vars (docs/caching.md); unset or empty means the default. */
export interface GatewayCacheEnv {
  /** `off` turns the gateway's cache off (the benchmark, to measure inventory's levels behind it). */
  GATEWAY_CACHE?: string
  GATEWAY_CACHE_MAX_ENTRIES?: string
  GATEWAY_CACHE_MAX_BYTES?: string
}

export interface GatewayCacheOptions {
  enabled: boolean
  maxEntries: number
  maxBytes: number
}

/** The GATEWAY_CACHE* vars, part of the gateway's config. */
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

/** Reads the GATEWAY_CACHE* vars alone; a value that is not what it should be throws, naming the var. */
export const gatewayCacheOptions: (env: GatewayCacheEnv) => GatewayCacheOptions = defineConfig(GATEWAY_CACHE_VARS, gatewayCacheOptionsOf)
