import { z } from 'zod'

/** The levels a cache reads through: both, KV only, or none (every read goes to the source). */
export type CacheLevels = 'l1,l2' | 'l2' | 'none'

export interface CacheOptions {
  levels: CacheLevels
  l1MaxEntries: number
  l1MaxBytes: number
  l1TtlMs: number
  l2TtlSeconds: number
  negativeTtlMs: number
  generationCheckMs: number
}

/** The CACHE_* vars (docs/caching.md); unset or empty means the default. */
export interface CacheEnv {
  CACHE_LEVELS?: string
  CACHE_L1_MAX_ENTRIES?: string
  CACHE_L1_MAX_BYTES?: string
  CACHE_L1_TTL_MS?: string
  CACHE_L2_TTL_S?: string
  CACHE_NEGATIVE_TTL_MS?: string
  CACHE_GENERATION_CHECK_MS?: string
}

export const blankIsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value)
/** An integer var of at least `min`; unset or blank means `fallback`. */
export const count = (fallback: number, min = 1) =>
  z.preprocess(blankIsUnset, z.coerce.number().int().min(min).optional().default(fallback)) as unknown as z.ZodType<number>

/** KV refuses an expirationTtl under 60 seconds. */
export const KV_MIN_TTL_SECONDS = 60

const CacheEnvSchema = z.object({
  CACHE_LEVELS: z.preprocess(blankIsUnset, z.enum(['l1,l2', 'l2', 'none']).optional().default('l1,l2')),
  CACHE_L1_MAX_ENTRIES: count(1000),
  CACHE_L1_MAX_BYTES: count(8 * 1024 * 1024),
  CACHE_L1_TTL_MS: count(30_000),
  CACHE_L2_TTL_S: count(300, KV_MIN_TTL_SECONDS),
  CACHE_NEGATIVE_TTL_MS: count(5_000),
  CACHE_GENERATION_CHECK_MS: count(1_000, 0),
})

/** Reads the CACHE_* vars; a value that is not what it should be throws, naming the var. */
export function cacheOptions(env: CacheEnv): CacheOptions {
  const parsed = CacheEnvSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
    throw new Error(`bad cache configuration: ${problems}`)
  }
  const vars = parsed.data
  return {
    levels: vars.CACHE_LEVELS,
    l1MaxEntries: vars.CACHE_L1_MAX_ENTRIES,
    l1MaxBytes: vars.CACHE_L1_MAX_BYTES,
    l1TtlMs: vars.CACHE_L1_TTL_MS,
    l2TtlSeconds: vars.CACHE_L2_TTL_S,
    negativeTtlMs: vars.CACHE_NEGATIVE_TTL_MS,
    generationCheckMs: vars.CACHE_GENERATION_CHECK_MS,
  }
}
