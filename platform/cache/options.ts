import { defineConfig, type VarsOf } from '../env/config'
import { durationMsVar, intVar, oneOfVar } from '../env/vars'

/** The levels a cache reads through: both, KV only, or none (every read goes to the source). */
export type CacheLevels = 'l1,l2' | 'l2' | 'none'

export interface CacheOptions {
  levels: CacheLevels
  l1MaxEntries: number
  l1MaxBytes: number
  l1TtlMs: number
  l2TtlSeconds: number
  negativeTtlMs: number
  stampCheckMs: number
}

/** The CACHE_* vars (docs/caching.md), as text; unset or empty means the default. */
export interface CacheEnv {
  CACHE_LEVELS?: string
  CACHE_L1_MAX_ENTRIES?: string
  CACHE_L1_MAX_BYTES?: string
  CACHE_L1_TTL_MS?: string
  CACHE_L2_TTL_S?: string
  CACHE_NEGATIVE_TTL_MS?: string
  CACHE_GENERATION_CHECK_MS?: string
}

/** KV refuses an expirationTtl under 60 seconds. */
export const KV_MIN_TTL_SECONDS = 60

/** The CACHE_* vars, part of the config of a Worker with a product cache. */
export const CACHE_VARS = {
  CACHE_LEVELS: oneOfVar(['l1,l2', 'l2', 'none'], 'l1,l2'),
  CACHE_L1_MAX_ENTRIES: intVar(1000),
  CACHE_L1_MAX_BYTES: intVar(8 * 1024 * 1024),
  CACHE_L1_TTL_MS: durationMsVar(30_000),
  CACHE_L2_TTL_S: intVar(300, { min: KV_MIN_TTL_SECONDS }),
  CACHE_NEGATIVE_TTL_MS: durationMsVar(5_000),
  CACHE_GENERATION_CHECK_MS: intVar(1_000, { min: 0 }),
}

export const cacheOptionsOf = (vars: VarsOf<typeof CACHE_VARS>): CacheOptions => ({
  levels: vars.CACHE_LEVELS,
  l1MaxEntries: vars.CACHE_L1_MAX_ENTRIES,
  l1MaxBytes: vars.CACHE_L1_MAX_BYTES,
  l1TtlMs: vars.CACHE_L1_TTL_MS,
  l2TtlSeconds: vars.CACHE_L2_TTL_S,
  negativeTtlMs: vars.CACHE_NEGATIVE_TTL_MS,
  stampCheckMs: vars.CACHE_GENERATION_CHECK_MS,
})

/** Reads the CACHE_* vars alone; a value that is not what it should be throws, naming the var. */
export const cacheOptions: (env: CacheEnv) => CacheOptions = defineConfig(CACHE_VARS, cacheOptionsOf)
