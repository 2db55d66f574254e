import { Hono } from 'hono'
import { CreateProductRequestSchema, UpdateProductRequestSchema } from '../../../../shared-contracts/inventory'
import { ListQuerySchema } from '../../../../shared-contracts/pagination'
import { problem } from '../../../../platform/errors/problem'
import { readJson, validate } from '../../../../platform/http/json-body'
import type { InventoryEnv } from '../env'
import { requireRole } from '../../../../platform/http/require-role'
import { respondCached } from './cached-read'

export const productRoutes = new Hono<InventoryEnv>()

productRoutes.get('/', async (c) => {
  const query = validate(ListQuerySchema, c.req.query())
  if (!query.ok) return problem(c, query.error)
  return respondCached(c, await c.var.services.reads.page(query.value))
})

productRoutes.get('/:id', async (c) => respondCached(c, await c.var.services.reads.product(c.req.param('id'))))

productRoutes.post('/', requireRole('admin'), async (c) => {
  const input = await readJson(c, CreateProductRequestSchema)
  if (!input.ok) return problem(c, input.error)
  const product = await c.var.services.catalog.create(input.value)
  if (!product.ok) return problem(c, product.error)
  await c.var.services.reads.changed() // list pages now miss it
  return c.json(product.value, 201, { Location: `/api/v1/products/${product.value.id}` })
})

productRoutes.patch('/:id', requireRole('admin'), async (c) => {
  const input = await readJson(c, UpdateProductRequestSchema)
  if (!input.ok) return problem(c, input.error)
  const product = await c.var.services.catalog.update(c.req.param('id'), input.value)
  if (!product.ok) return problem(c, product.error)
  // Read-your-writes in this isolate; other isolates within their generation check (docs/caching.md).
  await c.var.services.reads.changed()
  return c.json(product.value)
})
