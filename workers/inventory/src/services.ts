import type { MiddlewareHandler } from 'hono'
import { createProductsRepo } from './repo/products-repo'
import { createRequestsRepo } from './repo/requests-repo'
import { createReservationsRepo } from './repo/reservations-repo'
import { createStockRepo } from './repo/stock-repo'
import { isolateProductCache } from './cache/product-cache'
import { createCatalogService } from './service/catalog-service'
import { createProductReads } from './service/product-reads'
import { isolateReservationMemory } from './service/reservation-memory'
import { createReservationsService } from './service/reservations-service'
import { createStockService } from './service/stock-service'
import type { Env } from './env'
import type { Caller } from '../../../platform/auth/internal-credential'
import type { InventoryConfig } from './config'
import type { CatalogService } from './service/catalog-service'
import type { ProductReads } from './service/product-reads'
import type { ReservationsService } from './service/reservations-service'
import type { StockService } from './service/stock-service'

export interface InventoryServices {
  catalog: CatalogService
  /** Public catalog reads through this isolate's product cache. */
  reads: ProductReads
  stock: StockService
  reservations: ReservationsService
}

/** The services over this Worker's D1: built the same way for HTTP requests and RPC calls. */
export function createServices(env: Env, now: () => Date = () => new Date()): InventoryServices {
  const products = createProductsRepo(env.DB)
  const stock = createStockRepo(env.DB)
  const catalog = createCatalogService({ products, now })
  const reads = createProductReads({ catalog, cache: isolateProductCache() })
  return {
    catalog,
    reads,
    stock: createStockService({ stock, now }),
    reservations: createReservationsService({
      reservations: createReservationsRepo(env.DB),
      requests: createRequestsRepo(env.DB),
      products,
      stock,
      cached: (ids) => reads.held(ids),
      stale: () => reads.changed(),
      memory: isolateReservationMemory(),
      now,
      wrote: (fresh) => reads.wrote(fresh),
    }),
  }
}

/** Builds the services a request needs, once, and sets them on the context. */
export function services(): MiddlewareHandler<InventoryEnv> {
  // Made now, so that a bad CACHE_* var stops the Worker at start-up, not on some request.
  isolateProductCache()
  return async function services(c, next) {
    c.set('services', createServices(c.env))
    await next()
  }
}

/** The Hono env of this Worker's app: its bindings, and what its middleware sets on the context. */
export interface InventoryEnv {
  Bindings: Env
  Variables: {
    requestId: string
    caller: Caller
    config: InventoryConfig
    services: InventoryServices
  }
}
