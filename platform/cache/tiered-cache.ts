import type { GenerationView, KnownGeneration } from './generation'
import { Lru } from './lru'
import { KV_MIN_TTL_SECONDS, type CacheOptions } from './options'
import { singleFlight } from './single-flight'

/** What a loader found: a value and its version (grows with every change), or null for "not found". */
export type Loaded<T> = { value: T; version: number } | null

/** Every cached value, in both levels. `value: null` caches "not found" (version 0). */
export interface Envelope<T> {
  version: number
  value: T | null
  /** When the source was read (ms since the epoch): no copy outlives its fill's TTL. */
  stored_at: number
}

/** Which level answered a read; `bypass` when caching is off or failing and the source answered. */
export type CacheLevel = 'l1' | 'l2' | 'source' | 'bypass'

export interface CacheRead<T> {
  value: T | null
  level: CacheLevel
  /**
   * Until when (ms since the epoch) this answer is known current: the generation's confirmation
   * plus the check interval, never past the fill's own TTL. Null for `bypass`: nothing vouches
   * for it beyond this read.
   */
  freshUntil: number | null
}

/** What a fill found, and where. */
interface Filled<T> {
  envelope: Envelope<T>
  level: 'l2' | 'source'
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

export interface TieredCacheOptions extends CacheOptions {
  /** Keys are `<namespace>:g<generation>:<key>` in both levels. */
  namespace: string
  kv: KVNamespace | undefined
  generation: GenerationView
  now: () => number
  /** Told which level answered each read (metrics). */
  observe?: (level: CacheLevel) => void
  /** Told when a level fails (the read goes on to the next one). */
  onError?: (error: unknown) => void
}

const serialise = (envelope: Envelope<unknown>) => JSON.stringify(envelope)
const byteLength = (text: string) => new TextEncoder().encode(text).byteLength

function isEnvelope(value: unknown): value is Envelope<unknown> {
  const candidate = value as Envelope<unknown> | null
  return typeof candidate?.version === 'number' && typeof candidate.stored_at === 'number' && 'value' in candidate
}

/**
 * Reads through L1 (this isolate's LRU), L2 (Workers KV) and the source. A miss fills both
 * levels; concurrent misses of one key share one fill; a newer version is never replaced by an
 * older one. Bumping the namespace's generation makes every older entry unreachable at once.
 */
export class TieredCache<T> {
  readonly stats: CacheStats = { l1: { hits: 0, misses: 0 }, l2: { hits: 0, misses: 0 }, sourceLoads: 0, negativeHits: 0 }
  readonly #options: TieredCacheOptions
  readonly #l1: Lru<Envelope<T>> | null
  readonly #l2: KVNamespace | null
  readonly #fills = singleFlight<Filled<T>>()

  constructor(options: TieredCacheOptions) {
    this.#options = options
    const { levels, l1MaxEntries, l1MaxBytes, now, kv } = options
    this.#l1 = levels === 'l1,l2' ? new Lru({ maxEntries: l1MaxEntries, maxBytes: l1MaxBytes, now }) : null
    if (levels !== 'none' && !kv) throw new Error(`cache ${options.namespace}: level l2 needs a KV namespace`)
    this.#l2 = levels === 'none' ? null : (kv ?? null)
  }

  /** What L1 holds against its bounds (0 and 0 without an L1). */
  get l1Usage(): L1Usage {
    const { l1MaxEntries, l1MaxBytes } = this.#options
    return this.#l1
      ? { entries: this.#l1.size, bytes: this.#l1.bytes, maxEntries: l1MaxEntries, maxBytes: l1MaxBytes }
      : { entries: 0, bytes: 0, maxEntries: 0, maxBytes: 0 }
  }

  async get(key: string, load: () => Promise<Loaded<T>>): Promise<CacheRead<T>> {
    const read = await this.#read(key, load)
    if (read.value === null && (read.level === 'l1' || read.level === 'l2')) this.stats.negativeHits += 1
    this.#options.observe?.(read.level)
    return read
  }

  /** Asks for the generation again on the next read (this isolate has just bumped it, say). */
  refreshGeneration(): void {
    this.#options.generation.expire()
  }

  /** Drops `key` from both levels in the current generation (the writer's read-your-writes). */
  async invalidate(key: string): Promise<void> {
    if (this.#options.levels === 'none') return
    const full = this.#fullKey((await this.#options.generation.current()).generation, key)
    this.#l1?.delete(full)
    await this.#l2?.delete(full)
  }

  async #read(key: string, load: () => Promise<Loaded<T>>): Promise<CacheRead<T>> {
    if (this.#options.levels === 'none') return this.#bypass(load)
    let known: KnownGeneration
    try {
      known = await this.#options.generation.current()
    } catch (error) {
      this.#options.onError?.(error)
      return this.#bypass(load)
    }
    const full = this.#fullKey(known.generation, key)
    const cached = this.#l1?.get(full)
    if (cached) {
      this.stats.l1.hits += 1
      return this.#served(cached, 'l1', known)
    }
    if (this.#l1) this.stats.l1.misses += 1
    const { envelope, level } = await this.#fills(full, () => this.#fill(full, load))
    return this.#served(envelope, level, known)
  }

  #served(envelope: Envelope<T>, level: 'l1' | 'l2' | 'source', known: KnownGeneration): CacheRead<T> {
    return { value: envelope.value, level, freshUntil: Math.min(known.freshUntil, this.#expiresAt(envelope)) }
  }

  async #bypass(load: () => Promise<Loaded<T>>): Promise<CacheRead<T>> {
    this.stats.sourceLoads += 1
    return { value: (await load())?.value ?? null, level: 'bypass', freshUntil: null }
  }

  #fullKey(generation: number, key: string): string {
    return `${this.#options.namespace}:g${generation}:${key}`
  }

  /** L2, else the source; whatever is found goes into the levels above it. */
  async #fill(full: string, load: () => Promise<Loaded<T>>): Promise<Filled<T>> {
    const stored = await this.#fromL2(full)
    if (stored) {
      this.stats.l2.hits += 1
      this.#toL1(full, stored)
      return { envelope: stored, level: 'l2' }
    }
    this.stats.l2.misses += 1
    this.stats.sourceLoads += 1
    const loaded = await load()
    const envelope: Envelope<T> = { version: loaded?.version ?? 0, value: loaded?.value ?? null, stored_at: this.#options.now() }
    // A newer version another isolate wrote meanwhile wins over what this fill read.
    const kept = await this.#toL2(full, envelope)
    this.#toL1(full, kept)
    return { envelope: kept, level: 'source' }
  }

  /** How long a fill stays valid: the L2 TTL, or the negative TTL for "not found". */
  #ttlMs(envelope: Envelope<T>): number {
    return envelope.value === null ? this.#options.negativeTtlMs : this.#options.l2TtlSeconds * 1_000
  }

  /** When the fill stops being served: its hard cap. */
  #expiresAt(envelope: Envelope<T>): number {
    return envelope.stored_at + this.#ttlMs(envelope)
  }

  /** Milliseconds the envelope has left; KV keeps entries at least a minute, so this is checked on read. */
  #remainingMs(envelope: Envelope<T>): number {
    return this.#expiresAt(envelope) - this.#options.now()
  }

  #toL1(full: string, envelope: Envelope<T>): void {
    if (!this.#l1) return
    const current = this.#l1.peek(full)
    if (current && current.version > envelope.version) return
    const ttl = Math.min(this.#options.l1TtlMs, this.#remainingMs(envelope))
    this.#l1.set(full, envelope, byteLength(serialise(envelope)), ttl)
  }

  async #fromL2(full: string): Promise<Envelope<T> | null> {
    if (!this.#l2) return null
    try {
      const stored = await this.#l2.get(full, 'json')
      return isEnvelope(stored) && this.#remainingMs(stored as Envelope<T>) > 0 ? (stored as Envelope<T>) : null
    } catch (error) {
      this.#options.onError?.(error)
      return null
    }
  }

  /**
   * Writes unless L2 holds a newer version, and answers the envelope L2 keeps. KV has no compare-and-set: this read-before-write
   * narrows the window in which an older fill overwrites a newer one, it does not close it. The
   * generation does: a filler that read old data writes into a generation nobody reads any more.
   */
  async #toL2(full: string, envelope: Envelope<T>): Promise<Envelope<T>> {
    if (!this.#l2) return envelope
    try {
      const current = await this.#fromL2(full)
      if (current && current.version > envelope.version) return current
      const expirationTtl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil(this.#ttlMs(envelope) / 1_000))
      await this.#l2.put(full, serialise(envelope), { expirationTtl })
    } catch (error) {
      this.#options.onError?.(error)
    }
    return envelope
  }
}
