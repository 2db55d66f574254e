import { Lru } from '../../../../platform/cache/lru'

/** A service's answer as plain data: it outlives the request that fetched it (docs/adr/0017). */
export interface CachedAnswer {
  status: number
  headers: [string, string][]
  /** Its ETag, if it has one (If-None-Match is answered from it). */
  etag: string | null
  body: Uint8Array
}

export interface GatewayCacheStoreOptions {
  maxEntries: number
  maxBytes: number
  /** However far ahead a service says its answer is current, it is kept no longer than this. */
  maxTtlMs: number
  now: () => number
}

/** Where a read's answer lives: its key in the service's epoch when the read began. */
export interface Slot {
  service: string
  epoch: number
  key: string
}

/** A few seconds: a guard against a service's clock or a large CACHE_GENERATION_CHECK_MS, not the bound itself. */
export const GATEWAY_CACHE_MAX_TTL_MS = 5_000

const sizeOf = ({ headers, body }: CachedAnswer) =>
  body.byteLength + headers.reduce((sum, [name, value]) => sum + name.length + value.length, 0)

/**
 * The gateway's per-isolate store of services' public answers (bounded LRU, injected clock).
 * Each service has an epoch in its keys: purging a service moves it on, so every entry stored
 * before, and every fill that began before, is never found again.
 */
export class GatewayCacheStore {
  readonly #lru: Lru<CachedAnswer>
  readonly #epochs = new Map<string, number>()
  readonly #options: GatewayCacheStoreOptions

  constructor(options: GatewayCacheStoreOptions) {
    this.#options = options
    this.#lru = new Lru({ maxEntries: options.maxEntries, maxBytes: options.maxBytes, now: options.now })
  }

  get usage(): { entries: number; bytes: number } {
    return { entries: this.#lru.size, bytes: this.#lru.bytes }
  }

  slot(service: string, resource: string): Slot {
    const epoch = this.#epochs.get(service) ?? 0
    return { service, epoch, key: `${service}#${epoch} ${resource}` }
  }

  get(slot: Slot): CachedAnswer | undefined {
    return this.#lru.get(slot.key)
  }

  /** Keeps `answer` until `freshUntil` (ms since the epoch), at most `maxTtlMs`; not if its service was purged since the slot was taken. */
  put(slot: Slot, answer: CachedAnswer, freshUntil: number): void {
    if (slot.epoch !== (this.#epochs.get(slot.service) ?? 0)) return
    const ttlMs = Math.min(freshUntil - this.#options.now(), this.#options.maxTtlMs)
    this.#lru.set(slot.key, answer, sizeOf(answer), ttlMs)
  }

  /** Drops everything `service` answered (its entries stay in the LRU, unreachable, until evicted). */
  purge(service: string): void {
    this.#epochs.set(service, (this.#epochs.get(service) ?? 0) + 1)
  }
}
