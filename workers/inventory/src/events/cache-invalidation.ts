import type { EventHandlers } from '../../../../platform/events/consumer'
import { EVENT_TYPES, type CloudEvent } from '../../../../shared-contracts/events'
import { PRODUCTS_NAMESPACE, type ProductCache } from '../cache/product-cache'
import { createCacheGenerationsRepo } from '../repo/cache-generations-repo'
import { productKey } from '../cache/product-cache'

/**
 * Every product or stock change bumps the product cache's generation, once per event (the bump
 * runs in the batch of the event's inbox row). Every isolate sees the bump at its next
 * generation check: older copies, in L1 and L2, are unreachable from then on.
 */
export function cacheInvalidationHandlers(db: D1Database): EventHandlers {
  const generations = createCacheGenerationsRepo(db)
  const bump = async () => [generations.bumpStatement(PRODUCTS_NAMESPACE)]
  return {
    [EVENT_TYPES.productCreated]: bump,
    [EVENT_TYPES.productUpdated]: bump,
    [EVENT_TYPES.stockChanged]: bump,
  }
}

/**
 * After a bump is committed: this isolate asks for the generation on its next read, and the
 * product's L2 key goes (in the generation this isolate knew: a copy a reader that has not yet
 * seen the bump could still find).
 */
export function afterInvalidation(cache: ProductCache) {
  return async (event: CloudEvent) => {
    const productId = (event.data as { product_id?: unknown }).product_id
    if (typeof productId === 'string') await cache.invalidate(productKey(productId))
    cache.refreshGeneration()
  }
}
