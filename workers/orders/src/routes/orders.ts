import { Hono, type Context } from 'hono'
import { problem } from '../../../../platform/errors/problem'
import { requirePrincipal } from '../../../../platform/http/require-role'
import { validated } from '../../../../platform/http/validated'
import { getOrder, getOrderSaga, listOrders, listOrdersV2, placeOrder } from '../../../../shared-contracts/api/orders'
import type { OrdersEnv } from '../services'
import { toOrderV2 } from '../service/queries-service'

/** The signed-in principal's id: every route here is behind requirePrincipal. */
const userId = (c: Context<OrdersEnv>) => c.var.caller.principal!.id

/** /api/v1/orders: place (commands on the aggregate), read one, list (the read model), its saga. */
export const orderRoutes = new Hono<OrdersEnv>()
orderRoutes.use(requirePrincipal())

orderRoutes.post('/', validated(placeOrder), async (c) => {
  const placed = await c.var.services.orders.place(userId(c), c.req.valid('header')['Idempotency-Key'], c.req.valid('json'))
  if (!placed.ok) return problem(c, placed.error, placed.error.code === 'unauthenticated' ? { 'WWW-Authenticate': 'Bearer' } : {})
  return c.json(placed.value.body, placed.value.status as 202, { Location: placed.value.location })
})

orderRoutes.get('/', validated(listOrders), async (c) => {
  const { limit, cursor } = c.req.valid('query')
  const page = await c.var.services.queries.listOrders(userId(c), limit, cursor)
  return page.ok ? c.json(page.value) : problem(c, page.error)
})

orderRoutes.get('/:id', validated(getOrder), async (c) => {
  const order = await c.var.services.orders.get(userId(c), c.req.param('id'))
  return order.ok ? c.json(order.value) : problem(c, order.error)
})

orderRoutes.get('/:id/saga', validated(getOrderSaga), async (c) => {
  const order = await c.var.services.orders.get(userId(c), c.req.param('id'))
  if (!order.ok) return problem(c, order.error)
  // The coordinator is the truth; the summary written with the order stands in until it starts.
  const saga = (await c.var.services.sagas.view(order.value.id)) ?? (await c.var.services.queries.sagaSummary(order.value.id))
  return saga ? c.json(saga) : problem(c, { code: 'not_found', detail: 'This order has no saga.' })
})

/** /api/v2/orders: the same list, money as `{ amount, currency }` objects. */
export const orderRoutesV2 = new Hono<OrdersEnv>()
orderRoutesV2.use(requirePrincipal())

orderRoutesV2.get('/', validated(listOrdersV2), async (c) => {
  const { limit, cursor } = c.req.valid('query')
  const page = await c.var.services.queries.listOrders(userId(c), limit, cursor)
  return page.ok ? c.json({ items: page.value.items.map(toOrderV2), next_cursor: page.value.next_cursor }) : problem(c, page.error)
})
