import { Hono } from 'hono'
import { getStock, setStock } from '../../../../shared-contracts/api/catalog'
import { problem } from '../../../../platform/errors/problem'
import { validated } from '../../../../platform/http/validated'
import type { InventoryEnv } from '../services'
import { requireRole } from '../../../../platform/http/require-role'

/** /api/v1/inventory/{product_id}: stock levels, for admins. */
export const stockRoutes = new Hono<InventoryEnv>()

stockRoutes.use(requireRole('admin'))

stockRoutes.get('/:productId', validated(getStock), async (c) => {
  const levels = await c.var.services.stock.levels(c.req.param('productId'))
  return levels.ok ? c.json(levels.value) : problem(c, levels.error)
})

stockRoutes.put('/:productId', validated(setStock), async (c) => {
  const levels = await c.var.services.stock.setOnHand(c.req.param('productId'), c.req.valid('json').on_hand)
  if (!levels.ok) return problem(c, levels.error)
  // `available` is part of the public product and its list pages.
  c.var.services.reads.changed()
  return c.json(levels.value)
})
