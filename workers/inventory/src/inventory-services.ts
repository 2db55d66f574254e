import type { CatalogService } from './service/catalog-service'
import type { ProductReads } from './service/product-reads'
import type { ReservationsService } from './service/reservations-service'
import type { StockService } from './service/stock-service'

// What `services()` (./services.ts) puts on every request's context: the shape alone, so the
// environment's types (./env.ts) can name it without importing the code that builds it.

export interface InventoryServices {
  catalog: CatalogService
  /** Public catalog reads through this isolate's product cache. */
  reads: ProductReads
  stock: StockService
  reservations: ReservationsService
}
