import { Hono } from 'hono'
import { problem } from '../../../../platform/errors/problem'
import { requireRole } from '../../../../platform/http/require-role'
import { validated } from '../../../../platform/http/validated'
import { adminListSagas } from '../../../../shared-contracts/api/orders'
import type { OrdersEnv } from '../services'

/** /api/v1/admin/sagas?status=&limit=&cursor=: every saga's summary, newest first (admin). */
export const adminSagaRoutes = new Hono<OrdersEnv>()
adminSagaRoutes.use(requireRole('admin'))

adminSagaRoutes.get('/', validated(adminListSagas), async (c) => {
  const { status, limit, cursor } = c.req.valid('query')
  const page = await c.var.services.queries.listSagas(status, limit, cursor)
  return page.ok ? c.json(page.value) : problem(c, page.error)
})
