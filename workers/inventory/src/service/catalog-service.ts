import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import type { CreateProductRequest, Product, UpdateProductRequest } from '../../../../shared-contracts/inventory'
import type { Page } from '../../../../shared-contracts/pagination'
import type { ProductsRepo, Stamped, VersionedProduct } from '../repo/products-repo'
import { pageOf } from './page'
import type { Position } from '../../../../shared-contracts/pagination'

export interface CatalogDeps {
  products: ProductsRepo
  now: () => Date
}

export type CatalogService = ReturnType<typeof createCatalogService>

const newProductId = () => `prd_${crypto.randomUUID().replaceAll('-', '')}`
export const unknownProduct = (id: string) => fail({ code: 'not_found' as const, detail: `No product ${id}.` })

export function createCatalogService({ products, now }: CatalogDeps) {
  return {
    /**
     * Products oldest first, by (created_at, id), after `after` (a cursor's position, checked by
     * the route's query schema): a stable order for cursors. The version is the
     * sum of the versions of the rows the page was made from (the extra row too: it decides
     * `next_cursor`), so it grows with any change that changes the page. The stamps are those of
     * the list's membership and of every row read (for the product cache).
     */
    async list(limit: number, after: Position | null): Promise<{ page: Page<Product>; version: number; stamps: Record<string, number> }> {
      const { value: rows, stamps } = await products.page(limit + 1, after)
      const version = rows.reduce((sum, row) => sum + row.version, 0)
      return {
        page: pageOf(
          rows.map((row) => row.product),
          limit,
        ),
        version,
        stamps,
      }
    },

    /** The product and its version, or null if there is none, with its stamp (for caches). */
    async find(id: string): Promise<Stamped<VersionedProduct | null>> {
      return products.findVersioned(id)
    },

    /** Creates a product with its stock; a taken SKU (in any case) is `sku_taken`, and nothing is written. */
    async create(input: CreateProductRequest): Promise<Result<Product>> {
      const at = now()
      const created_at = at.toISOString()
      const initialStock = input.initial_stock ?? 0
      const { sku, name, description, price_cents, currency } = input
      const id = newProductId()
      const product: Product = {
        id,
        sku,
        name,
        description,
        price_cents,
        currency,
        available: initialStock,
        created_at,
        updated_at: created_at,
      }
      if (!(await products.create(product, initialStock, at))) {
        return fail({ code: 'sku_taken', detail: `A product with SKU ${sku} exists already.` })
      }
      return ok(product)
    },

    async update(id: string, changes: UpdateProductRequest): Promise<Result<Product>> {
      const product = await products.update(id, changes, now())
      return product ? ok(product) : unknownProduct(id)
    },
  }
}
