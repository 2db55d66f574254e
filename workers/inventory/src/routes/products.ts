import { Hono } from 'hono'
import { createProduct, getProduct, listProducts, updateProduct } from '../../../../shared-contracts/api/catalog'
import { problem } from '../../../../platform/errors/problem'
import { validated } from '../../../../platform/http/validated'
import type { InventoryEnv } from '../services'
import { requireRole } from '../../../../platform/http/require-role'
import { refusalsBypassCache, respondCached } from './cached-read'

export const productRoutes = new Hono<InventoryEnv>()

productRoutes.get('/', refusalsBypassCache(), validated(listProducts), async (c) =>
  respondCached(c, await c.var.services.reads.page(c.req.valid('query'))),
)

productRoutes.get('/:id', validated(getProduct), async (c) => respondCached(c, await c.var.services.reads.product(c.req.param('id'))))

productRoutes.post('/', requireRole('admin'), validated(createProduct), async (c) => {
  const product = await c.var.services.catalog.create(c.req.valid('json'))
  if (!product.ok) return problem(c, product.error)
  c.var.services.reads.changed() // list pages now miss it
  return c.json(product.value, 201, { Location: `/api/v1/products/${product.value.id}` })
})

productRoutes.patch('/:id', requireRole('admin'), validated(updateProduct), async (c) => {
  const product = await c.var.services.catalog.update(c.req.param('id'), c.req.valid('json'))
  if (!product.ok) return problem(c, product.error)
  // Read-your-writes in this isolate; other isolates within their stamp check (docs/caching.md).
  c.var.services.reads.changed()
  return c.json(product.value)
})
