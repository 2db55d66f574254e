import { Lru } from './lru'
import { KV_MIN_TTL_SECONDS, type CacheOptions } from './options'
import { singleFlight } from './single-flight'
import {
  byteLength,
  isEnvelope,
  serialise,
  type CacheLevel,
  type CacheRead,
  type CacheStats,
  type Envelope,
  type L1Usage,
  type Loaded,
} from './envelope'
import { isCurrent, type KnownStamps, type StampView } from './stamps'

/** What a fill found, and where. */
interface Filled<T> {
  envelope: Envelope<T>
  level: 'l2' | 'source'
}

export interface TieredCacheOptions extends CacheOptions {
  /** Keys are `<namespace>:<key>` in both levels. */
  namespace: string
  kv: KVNamespace | undefined
  stamps: StampView
  now: () => number
  /** Told which level answered each read (metrics). */
  observe?: (level: CacheLevel) => void
  /** Told when a level fails (the read goes on to the next one). */
  onError?: (error: unknown) => void
}

/**
 * Reads through L1 (this isolate's LRU), L2 (Workers KV) and the source. A miss fills both
 * levels; concurrent misses of one key share one fill; a newer version is never replaced by an
 * older one. An entry is served while the stamps it holds are the latest this isolate has seen
 * (checked against the source once per `stampCheckMs`): a write bumps only the stamps of
 * what it changed, so only the entries holding those go.
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

  /**
   * What L1 holds of `key` and its stamps still vouch for (null: "not found" is held), or
   * undefined: never a KV read or a load, so a caller can choose what to do on a miss. A failed
   * stamp check counts as not held.
   */
  async peek(key: string): Promise<T | null | undefined> {
    if (this.#options.levels === 'none' || !this.#l1) return undefined
    const known = await this.#options.stamps.current().catch((error: unknown) => {
      this.#options.onError?.(error)
      return null
    })
    const cached = this.#l1.get(this.#fullKey(key))
    return known && cached && isCurrent(cached.stamps, known) ? cached.value : undefined
  }

  /** Asks for the stamps again on the next read (this isolate has just written, say). */
  refreshStamps(): void {
    this.#options.stamps.expire()
  }

  /**
   * After a write whose own batch read back what it wrote (values and stamps): this isolate
   * learns those stamps and keeps the copies in L1, so its next reads see the write with no stamp
   * check and no load. Other isolates see it within their stamp check, as after any write.
   */
  wrote(copies: readonly { key: string; loaded: Loaded<T> }[]): void {
    for (const { loaded } of copies) this.#options.stamps.learn(loaded.stamps)
    for (const { key, loaded } of copies) this.#toL1(this.#fullKey(key), this.#envelope(loaded))
  }

  /** Writes a copy as `wrote` takes it to L2 as well (unless L2 holds a newer one): other isolates' next misses find it there. */
  async publish(key: string, loaded: Loaded<T>): Promise<void> {
    if (this.#options.levels === 'none') return
    const full = this.#fullKey(key)
    this.#toL1(full, await this.#toL2(full, this.#envelope(loaded), await this.#options.stamps.current()))
  }

  async #read(key: string, load: () => Promise<Loaded<T>>): Promise<CacheRead<T>> {
    if (this.#options.levels === 'none') return this.#bypass(load)
    let known: KnownStamps
    try {
      known = await this.#options.stamps.current()
    } catch (error) {
      this.#options.onError?.(error)
      return this.#bypass(load)
    }
    const full = this.#fullKey(key)
    const cached = this.#l1?.get(full)
    if (cached && isCurrent(cached.stamps, known)) {
      this.stats.l1.hits += 1
      return this.#served(cached, 'l1', known)
    }
    if (cached) this.#l1?.delete(full)
    if (this.#l1) this.stats.l1.misses += 1
    const { envelope, level } = await this.#fills(full, () => this.#fill(full, load, known))
    return this.#served(envelope, level, known)
  }

  #served(envelope: Envelope<T>, level: 'l1' | 'l2' | 'source', known: KnownStamps): CacheRead<T> {
    return { value: envelope.value, level, freshUntil: Math.min(known.freshUntil, this.#expiresAt(envelope)) }
  }

  async #bypass(load: () => Promise<Loaded<T>>): Promise<CacheRead<T>> {
    this.stats.sourceLoads += 1
    return { value: (await load()).value, level: 'bypass', freshUntil: null }
  }

  #fullKey(key: string): string {
    return `${this.#options.namespace}:${key}`
  }

  /** L2, else the source; whatever is found goes into the levels above it. */
  async #fill(full: string, load: () => Promise<Loaded<T>>, known: KnownStamps): Promise<Filled<T>> {
    const stored = await this.#fromL2(full, known)
    if (stored) {
      this.stats.l2.hits += 1
      this.#toL1(full, stored)
      return { envelope: stored, level: 'l2' }
    }
    this.stats.l2.misses += 1
    this.stats.sourceLoads += 1
    const envelope = this.#envelope(await load())
    // A newer version another isolate wrote meanwhile wins over what this fill read.
    const kept = await this.#toL2(full, envelope, known)
    this.#toL1(full, kept)
    return { envelope: kept, level: 'source' }
  }

  #envelope({ value, version, stamps }: Loaded<T>): Envelope<T> {
    return { version: value === null ? 0 : version, value, stored_at: this.#options.now(), stamps }
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

  /** A live envelope whose stamps are current, else null (a stale one is overwritten by the fill). */
  async #fromL2(full: string, known: KnownStamps): Promise<Envelope<T> | null> {
    if (!this.#l2) return null
    try {
      const stored = await this.#l2.get(full, 'json')
      if (!isEnvelope(stored)) return null
      const envelope = stored as Envelope<T>
      return this.#remainingMs(envelope) > 0 && isCurrent(envelope.stamps, known) ? envelope : null
    } catch (error) {
      this.#options.onError?.(error)
      return null
    }
  }

  /**
   * Writes unless L2 holds a newer version, and answers the envelope L2 keeps. KV has no compare-and-set: this read-before-write
   * narrows the window in which an older fill overwrites a newer one, it does not close it. The
   * stamps do: an older fill holds older stamps, which no reader that has seen the newer ones serves.
   */
  async #toL2(full: string, envelope: Envelope<T>, known: KnownStamps): Promise<Envelope<T>> {
    if (!this.#l2) return envelope
    try {
      const current = await this.#fromL2(full, known)
      if (current && current.version > envelope.version) return current
      const expirationTtl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil(this.#ttlMs(envelope) / 1_000))
      await this.#l2.put(full, serialise(envelope), { expirationTtl })
    } catch (error) {
      this.#options.onError?.(error)
    }
    return envelope
  }
}
