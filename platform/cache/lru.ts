/**
 * An in-isolate LRU bounded by entry count and by bytes, with a TTL per entry. The size of an
 * entry is given by the caller (the length of its serialised form, measured once on set), so
 * the bound holds whatever the values are. Time comes from the injected clock.
 */
export interface LruOptions {
  maxEntries: number
  maxBytes: number
  now: () => number
}

interface Slot<V> {
  value: V
  bytes: number
  expiresAt: number
}

export class Lru<V> {
  // A Map iterates in insertion order: the first key is the least recently used.
  readonly #slots = new Map<string, Slot<V>>()
  readonly #options: LruOptions
  #bytes = 0

  constructor(options: LruOptions) {
    if (!(options.maxEntries >= 1) || !(options.maxBytes >= 1)) throw new Error('an LRU needs room for at least one entry and one byte')
    this.#options = options
  }

  get size(): number {
    return this.#slots.size
  }

  get bytes(): number {
    return this.#bytes
  }

  /** The live value under `key`, which becomes the most recently used; undefined if absent or expired. */
  get(key: string): V | undefined {
    const slot = this.#live(key)
    if (!slot) return undefined
    this.#slots.delete(key)
    this.#slots.set(key, slot)
    return slot.value
  }

  /** The live value under `key`, leaving the order alone. */
  peek(key: string): V | undefined {
    return this.#live(key)?.value
  }

  /** Stores `value` for `ttlMs`, evicting the least recently used entries beyond either bound. */
  set(key: string, value: V, bytes: number, ttlMs: number): void {
    this.delete(key)
    // An entry bigger than the whole cache would only evict everything else, then itself.
    if (ttlMs <= 0 || bytes > this.#options.maxBytes) return
    this.#slots.set(key, { value, bytes, expiresAt: this.#options.now() + ttlMs })
    this.#bytes += bytes
    for (const [oldest, slot] of this.#slots) {
      if (this.#slots.size <= this.#options.maxEntries && this.#bytes <= this.#options.maxBytes) break
      this.#slots.delete(oldest)
      this.#bytes -= slot.bytes
    }
  }

  delete(key: string): void {
    const slot = this.#slots.get(key)
    if (!slot) return
    this.#slots.delete(key)
    this.#bytes -= slot.bytes
  }

  #live(key: string): Slot<V> | undefined {
    const slot = this.#slots.get(key)
    if (slot && slot.expiresAt <= this.#options.now()) {
      this.delete(key)
      return undefined
    }
    return slot
  }
}
