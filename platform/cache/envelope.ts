import type { Stamps } from './stamps'

// The shapes of the tiered cache (./tiered-cache.ts): what it stores, answers and counts.

/**
 * What a loader found: a value and its version (grows with every change), or `value: null` for
 * "not found" (version 0); and the stamps of what it holds, read with it (not after it: a change
 * between the two would be missed).
 */
export interface Loaded<T> {
  value: T | null
  version: number
  stamps: Stamps
}

/** Every cached value, in both levels. `value: null` caches "not found" (version 0). */
export interface Envelope<T> {
  version: number
  value: T | null
  /** When the source was read (ms since the epoch): no copy outlives its fill's TTL. */
  stored_at: number
  /** The stamps of what it holds at the fill: it is served while none of them has grown. */
  stamps: Stamps
}

/** Which level answered a read; `bypass` when caching is off or failing and the source answered. */
export type CacheLevel = 'l1' | 'l2' | 'source' | 'bypass'

export interface CacheRead<T> {
  value: T | null
  level: CacheLevel
  /**
   * Until when (ms since the epoch) this answer is known current: the stamp check that confirmed
   * it plus the check interval, never past the fill's own TTL. Null for `bypass`: nothing vouches
   * for it beyond this read.
   */
  freshUntil: number | null
}

export interface CacheStats {
  l1: { hits: number; misses: number }
  l2: { hits: number; misses: number }
  sourceLoads: number
  negativeHits: number
}

export interface L1Usage {
  entries: number
  bytes: number
  maxEntries: number
  maxBytes: number
}

export const serialise = (envelope: Envelope<unknown>) => JSON.stringify(envelope)
export const byteLength = (text: string) => new TextEncoder().encode(text).byteLength

export function isEnvelope(value: unknown): value is Envelope<unknown> {
  const candidate = value as Envelope<unknown> | null
  return (
    typeof candidate?.version === 'number' &&
    typeof candidate.stored_at === 'number' &&
    'value' in candidate &&
    typeof candidate.stamps === 'object' &&
    candidate.stamps !== null
  )
}
