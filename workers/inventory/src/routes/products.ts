import { Hono } from 'hono'
import { CreateProductRequestSchema, UpdateProductRequestSchema } from '../../../../shared-contracts/inventory'
import { ListQuerySchema } from '../../../../shared-contracts/pagination'
import { problem } from '../../../../platform/errors/problem'
import { readJson, validate } from '../../../../platform/http/json-body'
import type { InventoryEnv } from '../env'
import { requireRole } from '../../../../platform/http/require-role'

export const productRoutes = new Hono<InventoryEnv>()

productRoutes.get('/', async (c) => {
  const query = validate(ListQuerySchema, c.req.query())
  if (!query.ok) return problem(c, query.error)
  const page = await c.var.services.catalog.list(query.value)
  return page.ok ? c.json(page.value) : problem(c, page.error)
})

productRoutes.get('/:id', async (c) => {
  const product = await c.var.services.catalog.get(c.req.param('id'))
  return product.ok ? c.json(product.value) : problem(c, product.error)
})

productRoutes.post('/', requireRole('admin'), async (c) => {
  const input = await readJson(c, CreateProductRequestSchema)
  if (!input.ok) return problem(c, input.error)
  const product = await c.var.services.catalog.create(input.value)
  return product.ok ? c.json(product.value, 201, { Location: `/api/v1/products/${product.value.id}` }) : problem(c, product.error)
})

productRoutes.patch('/:id', requireRole('admin'), async (c) => {
  const input = await readJson(c, UpdateProductRequestSchema)
  if (!input.ok) return problem(c, input.error)
  const product = await c.var.services.catalog.update(c.req.param('id'), input.value)
  return product.ok ? c.json(product.value) : problem(c, product.error)
})
