import { z } from 'zod'
import { blankIsUnset, count } from '../../../../platform/cache/options'

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

const GatewayCacheEnvSchema = z.object({
  GATEWAY_CACHE: z.preprocess(blankIsUnset, z.enum(['on', 'off']).optional().default('on')),
  GATEWAY_CACHE_MAX_ENTRIES: count(1000),
  GATEWAY_CACHE_MAX_BYTES: count(4 * 1024 * 1024),
})

/** Reads the GATEWAY_CACHE* vars; a value that is not what it should be throws, naming the var. */
export function gatewayCacheOptions(env: GatewayCacheEnv): GatewayCacheOptions {
  const parsed = GatewayCacheEnvSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
    throw new Error(`bad gateway cache configuration: ${problems}`)
  }
  const vars = parsed.data
  return { enabled: vars.GATEWAY_CACHE === 'on', maxEntries: vars.GATEWAY_CACHE_MAX_ENTRIES, maxBytes: vars.GATEWAY_CACHE_MAX_BYTES }
}
