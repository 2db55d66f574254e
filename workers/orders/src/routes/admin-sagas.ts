import { Hono } from 'hono'
import { problem } from '../../../../platform/errors/problem'
import { validate } from '../../../../platform/http/json-body'
import { requireRole } from '../../../../platform/http/require-role'
import { SagaListQuerySchema } from '../../../../shared-contracts/orders'
import type { OrdersEnv } from '../env'

/** /api/v1/admin/sagas?status=&limit=&cursor=: every saga's summary, newest first (admin). */
export const adminSagaRoutes = new Hono<OrdersEnv>()
adminSagaRoutes.use(requireRole('admin'))

adminSagaRoutes.get('/', async (c) => {
  const query = validate(SagaListQuerySchema, c.req.query())
  if (!query.ok) return problem(c, query.error)
  const page = await c.var.services.queries.listSagas(query.value.status, query.value.limit, query.value.cursor)
  return page.ok ? c.json(page.value) : problem(c, page.error)
})
