import { ok, type Result } from '../../../../shared-contracts/errors'
import type { Product } from '../../../../shared-contracts/inventory'
import type { ListQuery, Page } from '../../../../shared-contracts/pagination'
import type { CacheLevel } from '../../../../platform/cache/tiered-cache'
import { pageKey, productKey, type ProductCache } from '../cache/product-cache'
import { createLogger } from '../../../../platform/telemetry/log'
import { unknownProduct, type CatalogService } from './catalog-service'

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
}

/** The public catalog reads, through the product cache (platform/cache). */
export function createProductReads({ catalog, cache }: ProductReadsDeps) {
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
     * Reads `ids` through the cache after a write changed them (after its answer left): their
     * copies are stale, so each read fills L1 and L2 anew. The first reader of each, here or in
     * another isolate, then finds a copy instead of going to D1: the source read moves from a
     * reader to the writer. A failure is only logged, the next reader fills it instead.
     */
    async refill(ids: readonly string[]): Promise<void> {
      for (const id of new Set(ids)) {
        await this.product(id).catch((error: unknown) => log.warn('refilling a product after a write failed', { error }))
      }
    },
  }
}
