import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm'
import { drizzle, type DrizzleD1Database } from 'drizzle-orm/d1'
import type { Product, UpdateProductRequest } from '../../../../shared-contracts/inventory'
import { productCreated, productUpdatedFromRow, stockInitialised } from '../events/publish'
import { LIST_STAMP, PRODUCT_STAMP_PREFIX, productStamp, stampBump, stampsOf, stampsSelect } from './cache-stamps-repo'
import { cacheStamps, products, stock } from './schema'
import { isUniqueViolation } from '../../../../platform/db/sql-errors'

export type NewProduct = Omit<Product, 'available' | 'updated_at'>

/** The columns of the public product: the catalog row joined with its stock. */
const productColumns = {
  id: products.id,
  sku: products.sku,
  name: products.name,
  description: products.description,
  price_cents: products.priceCents,
  currency: products.currency,
  available: sql<number>`${stock.onHand} - ${stock.reserved}`.mapWith(Number),
  created_at: products.createdAt,
  updated_at: products.updatedAt,
}

/**
 * A product with the version of what a cache holds of it: the catalog's version plus the stock's.
 * Both only grow, and every change grows one of them, so the sum grows with every change.
 */
export interface VersionedProduct {
  product: Product
  version: number
}

/** A read for the product cache, with the stamps of what it holds (read in the same batch). */
export interface Stamped<T> {
  value: T
  stamps: Record<string, number>
}

const versionColumn = sql<number>`${products.version} + ${stock.version}`.mapWith(Number)
const stampColumn = sql<number>`COALESCE(${cacheStamps.stamp}, 0)`.mapWith(Number)
const versioned = ({ cache_version, ...product }: Product & { cache_version: number }): VersionedProduct => ({
  product,
  version: cache_version,
})

// Each row with its product's stamp: one statement, so the stamp is the one of the row read.
const selectStamped = (db: DrizzleD1Database) =>
  db
    .select({ ...productColumns, cache_version: versionColumn, cache_stamp: stampColumn })
    .from(products)
    .innerJoin(stock, eq(stock.productId, products.id))
    .leftJoin(cacheStamps, eq(cacheStamps.key, sql`${PRODUCT_STAMP_PREFIX} || ${products.id}`))

/**
 * What a stock update returns so that it is, with its product's catalog row and stamp, the
 * product as the write's batch leaves it: the product cache is refilled from it with no read of
 * its own. The batch bumps the product's stamp before this update, so the stamp is the new one.
 */
export const stockReturningProduct = {
  onHand: stock.onHand,
  reserved: stock.reserved,
  version: stock.version,
  // Aliased and written out: drizzle leaves column names unqualified in an UPDATE's RETURNING,
  // where a bare name could resolve to another table of the statement.
  catalog: sql<string>`(SELECT json_object('id', p.id, 'sku', p.sku, 'name', p.name, 'description', p.description,
    'price_cents', p.price_cents, 'currency', p.currency, 'created_at', p.created_at, 'updated_at', p.updated_at,
    'version', p.version, 'stamp', COALESCE(s.stamp, 0))
    FROM ${products} AS p LEFT JOIN ${cacheStamps} AS s ON s.key = ${PRODUCT_STAMP_PREFIX} || p.id
    WHERE p.id = ${sql.raw('"stock"."product_id"')})`,
}

type CatalogJson = Omit<Product, 'available'> & { version: number; stamp: number }

interface StockWithCatalog {
  onHand: number
  reserved: number
  version: number
  catalog: string
}

/** What `stockReturningProduct` returned, as the product cache's loader answers it. */
export function freshCopies(rows: readonly StockWithCatalog[]): Stamped<VersionedProduct>[] {
  return rows.map((row) => {
    const { version, stamp, created_at, updated_at, ...catalog } = JSON.parse(row.catalog) as CatalogJson
    // In the order of `productColumns`, as every other copy of the product is.
    const product: Product = { ...catalog, available: row.onHand - row.reserved, created_at, updated_at }
    return { value: { product, version: version + row.version }, stamps: { [productStamp(product.id)]: stamp } }
  })
}

export type ProductsRepo = ReturnType<typeof createProductsRepo>

export function createProductsRepo(d1: D1Database) {
  const db = drizzle(d1)
  const selectProducts = () => db.select(productColumns).from(products).innerJoin(stock, eq(stock.productId, products.id))
  const selectVersioned = () =>
    db
      .select({ ...productColumns, cache_version: versionColumn })
      .from(products)
      .innerJoin(stock, eq(stock.productId, products.id))
  const find = async (id: string): Promise<Product | null> => (await selectProducts().where(eq(products.id, id)).get()) ?? null

  return {
    /**
     * Up to `limit` products after the (created_at, id) position, in that order, with their
     * versions; stamped with the list's membership and each product read.
     */
    async page(limit: number, after: readonly [string, string] | null): Promise<Stamped<VersionedProduct[]>> {
      const position = after
        ? or(gt(products.createdAt, after[0]), and(eq(products.createdAt, after[0]), gt(products.id, after[1])))
        : undefined
      const [lists, rows] = await db.batch([
        stampsSelect(db, [LIST_STAMP]),
        selectStamped(db).where(position).orderBy(asc(products.createdAt), asc(products.id)).limit(limit),
      ])
      const stamps = stampsOf([LIST_STAMP], lists)
      for (const { cache_stamp, ...row } of rows) stamps[productStamp(row.id)] = cache_stamp
      return { value: rows.map(({ cache_stamp: _, ...row }) => versioned(row)), stamps }
    },

    /** The product and its version, or null; stamped with the product's stamp (creating it bumps that too). */
    async findVersioned(id: string): Promise<Stamped<VersionedProduct | null>> {
      const keys = [productStamp(id)]
      const [found, [row]] = await db.batch([stampsSelect(db, keys), selectVersioned().where(eq(products.id, id))])
      return { value: row ? versioned(row) : null, stamps: stampsOf(keys, found) }
    },

    async findMany(ids: readonly string[]): Promise<Product[]> {
      return ids.length === 0
        ? []
        : selectProducts()
            .where(inArray(products.id, [...ids]))
            .all()
    },

    /**
     * Inserts a product, its stock row and their events in one batch: all or nothing.
     * `false` when the SKU is taken (in any letter case).
     */
    async create(product: NewProduct, initialStock: number, now: Date): Promise<boolean> {
      const { id, sku, name, description, price_cents, currency, created_at: at } = product
      // A product starts at version 1; its stock at 0, or at 1 when its first levels are announced.
      const stockVersion = initialStock > 0 ? 1 : 0
      const statements = [
        db
          .insert(products)
          .values({ id, sku, name, description, priceCents: price_cents, currency, version: 1, createdAt: at, updatedAt: at }),
        db.insert(stock).values({ productId: id, onHand: initialStock, reserved: 0, version: stockVersion, updatedAt: at }),
        productCreated(db, { product_id: id, sku, name, description, price_cents, currency, version: 1 }, now),
        // The list pages gain it; "not found" of its id, cached, goes too.
        stampBump(db, LIST_STAMP, now),
        stampBump(db, productStamp(id), now),
      ] as const
      const levels = { product_id: id, on_hand: initialStock, reserved: 0, available: initialStock, version: stockVersion }
      try {
        await (initialStock > 0 ? db.batch([...statements, stockInitialised(db, levels, now)]) : db.batch(statements))
        return true
      } catch (error) {
        if (isUniqueViolation(error)) return false
        throw error
      }
    },

    /**
     * Applies the changes, bumps the version and writes product.updated, atomically; null if
     * unknown (products are never deleted, so one that exists now exists in the batch).
     */
    async update(id: string, changes: UpdateProductRequest, now: Date): Promise<Product | null> {
      if (!(await find(id))) return null
      await db.batch([
        db
          .update(products)
          .set({
            ...(changes.name === undefined ? {} : { name: changes.name }),
            ...(changes.description === undefined ? {} : { description: changes.description }),
            ...(changes.price_cents === undefined ? {} : { priceCents: changes.price_cents }),
            version: sql`${products.version} + 1`,
            updatedAt: now.toISOString(),
          })
          .where(eq(products.id, id)),
        productUpdatedFromRow(db, id, now),
        stampBump(db, productStamp(id), now),
      ])
      return find(id)
    },
  }
}
