import { ok, type Result } from '../../../../shared-contracts/errors'
import type { Product } from '../../../../shared-contracts/inventory'
import type { ListQuery, Page } from '../../../../shared-contracts/pagination'
import type { CacheLevel } from '../../../../platform/cache/envelope'
import { pageKey, productKey, type ProductCache } from '../cache/product-cache'
import { createLogger } from '../../../../platform/telemetry/log'
import { unknownProduct, type CatalogService } from './catalog-service'
import type { Fresh } from '../repo/reservations-repo'

const log = createLogger('inventory')

/** A read's result, the cache level that answered it, and until when it is known current (CacheRead). */
export interface Served<T> {
  result: Result<T>
  level: CacheLevel
  freshUntil: number | null
}

export type ProductReads = ReturnType<typeof createProductReads>

export interface ProductReadsDeps {
  catalog: CatalogService
  cache: ProductCache
  now?: () => number
}

/** KV accepts one write per key per second (developers.cloudflare.com/kv/platform/limits). */
export const REFILL_INTERVAL_MS = 1_000
/** When this isolate last refilled each product (pruned as it grows). */
const refilledAt = new Map<string, number>()

/** Whether `id` may be refilled now (not refilled within the interval), taking the slot if so. */
function takeRefillSlot(id: string, at: number): boolean {
  const last = refilledAt.get(id)
  if (last !== undefined && at - last < REFILL_INTERVAL_MS) return false
  if (refilledAt.size >= 10_000) {
    for (const [key, when] of refilledAt) if (at - when >= REFILL_INTERVAL_MS) refilledAt.delete(key)
  }
  refilledAt.set(id, at)
  return true
}

const loaded = (copy: Fresh) => ({ value: copy.value.product, version: copy.value.version, stamps: copy.stamps })

/** The public catalog reads, through the product cache (platform/cache). */
export function createProductReads({ catalog, cache, now = Date.now }: ProductReadsDeps) {
  const fresh = new Map<string, Fresh>()
  return {
    async product(id: string): Promise<Served<Product>> {
      const read = await cache.get(productKey(id), async () => {
        const { value: found, stamps } = await catalog.find(id)
        return { value: found?.product ?? null, version: found?.version ?? 0, stamps }
      })
      return { result: read.value ? ok(read.value as Product) : unknownProduct(id), level: read.level, freshUntil: read.freshUntil }
    },

    async page(query: ListQuery): Promise<Served<Page<Product>>> {
      // The route's query schema refused a cursor this list never handed out: only pages are cached.
      const read = await cache.get(pageKey(query), async () => {
        const { page, version, stamps } = await catalog.list(query.limit, query.cursor ?? null)
        return { value: page, version, stamps }
      })
      return { result: ok(read.value as Page<Product>), level: read.level, freshUntil: read.freshUntil }
    },

    /**
     * The products among `ids`, in the order asked (unknown ids left out), through the cache:
     * as current as the public catalogue, within the stamp check (1 s).
     */
    async products(ids: readonly string[]): Promise<Product[]> {
      const reads = await Promise.all([...new Set(ids)].map((id) => this.product(id)))
      return reads.flatMap(({ result }) => (result.ok ? [result.value] : []))
    },

    /**
     * The products `ids` if this isolate's L1 holds every one of them (within the stamp check, as
     * any read), else null: no KV read and no D1 load, so a caller with a cheaper way to fetch
     * many at once (one select) takes it on a miss.
     */
    async held(ids: readonly string[]): Promise<Product[] | null> {
      const copies = await Promise.all([...new Set(ids)].map((id) => cache.peek(productKey(id))))
      return copies.every((copy) => copy) ? (copies as Product[]) : null
    },

    /** This isolate's L1 against its bounds. */
    l1Usage: () => cache.l1Usage,

    /**
     * After a write of the catalog or stock (whose batch bumped the stamps of what it changed):
     * this isolate asks for the stamps on its next read, so the writer reads its own write
     * (products and list pages alike). Other isolates see it within their stamp check.
     */
    changed(): void {
      cache.refreshStamps()
    },

    /**
     * The products as this unit of work's write left them (a reservation's, a release's): this
     * isolate learns their stamps and keeps the copies in L1 (`TieredCache.wrote`), so it reads
     * its own write with no statement, and `refill` publishes them to L2 for the other isolates.
     * A write that changed no product's public view (a commit) passes none and costs the cache nothing.
     */
    wrote(copies: readonly Fresh[]): void {
      for (const copy of copies) fresh.set(copy.value.product.id, copy)
      cache.wrote(copies.map((copy) => ({ key: productKey(copy.value.product.id), loaded: loaded(copy) })))
    },

    /**
     * Fills the cache with `ids` after a write changed them (after its answer left). The copies
     * the write read back (`wrote`) are in this isolate's L1 already; this writes them to L2, so
     * that the first reader of each in another isolate finds a copy instead of going to D1: the
     * source read moves from a reader to the writer, and costs no statement. KV takes one write a
     * second per key: a product this isolate published within the last second is skipped (L1
     * holds its newest copy; another isolate's reader fills L2 from D1). A failure is only logged.
     */
    async refill(ids: readonly string[]): Promise<void> {
      const due = [...new Set(ids)].filter((id) => takeRefillSlot(id, now()))
      await Promise.all(
        due.map((id) => {
          const copy = fresh.get(id)
          const read = copy ? cache.publish(productKey(id), loaded(copy)) : this.product(id)
          return read.catch((error: unknown) => log.warn('refilling a product after a write failed', { error }))
        }),
      )
    },
  }
}
