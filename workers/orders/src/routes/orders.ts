import { Hono, type Context } from 'hono'
import { problem } from '../../../../platform/errors/problem'
import { readJson, validate } from '../../../../platform/http/json-body'
import { requirePrincipal } from '../../../../platform/http/require-role'
import { ListQuerySchema } from '../../../../shared-contracts/pagination'
import { MAX_IDEMPOTENCY_KEY_LENGTH, PlaceOrderRequestSchema } from '../../../../shared-contracts/orders'
import type { OrdersEnv } from '../env'
import { toOrderV2 } from '../service/queries-service'

export const IDEMPOTENCY_HEADER = 'Idempotency-Key'

/** The signed-in principal's id: every route here is behind requirePrincipal. */
const userId = (c: Context<OrdersEnv>) => c.var.caller.principal!.id

function idempotencyKey(c: Context<OrdersEnv>) {
  const key = c.req.header(IDEMPOTENCY_HEADER)
  if (key === undefined || key.trim() === '') return { error: `The ${IDEMPOTENCY_HEADER} header is required.` }
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) return { error: `The ${IDEMPOTENCY_HEADER} header must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.` }
  return { key }
}

/** /api/v1/orders: place (commands on the aggregate), read one, list (the read model), its saga. */
export const orderRoutes = new Hono<OrdersEnv>()
orderRoutes.use(requirePrincipal())

orderRoutes.post('/', async (c) => {
  const header = idempotencyKey(c)
  if (!header.key) {
    return problem(c, { code: 'validation_failed', detail: header.error, errors: [{ path: IDEMPOTENCY_HEADER, message: header.error! }] })
  }
  const body = await readJson(c, PlaceOrderRequestSchema)
  if (!body.ok) return problem(c, body.error)
  const placed = await c.var.services.orders.place(userId(c), header.key, body.value)
  if (!placed.ok) return problem(c, placed.error, placed.error.code === 'unauthenticated' ? { 'WWW-Authenticate': 'Bearer' } : {})
  return c.json(placed.value.body, placed.value.status as 202, { Location: placed.value.location })
})

orderRoutes.get('/', async (c) => {
  const query = validate(ListQuerySchema, c.req.query())
  if (!query.ok) return problem(c, query.error)
  const page = await c.var.services.queries.listOrders(userId(c), query.value.limit, query.value.cursor)
  return page.ok ? c.json(page.value) : problem(c, page.error)
})

orderRoutes.get('/:id', async (c) => {
  const order = await c.var.services.orders.get(userId(c), c.req.param('id'))
  return order.ok ? c.json(order.value) : problem(c, order.error)
})

orderRoutes.get('/:id/saga', async (c) => {
  const order = await c.var.services.orders.get(userId(c), c.req.param('id'))
  if (!order.ok) return problem(c, order.error)
  // The coordinator is the truth; the summary written with the order stands in until it starts.
  const saga = (await c.var.services.sagas.view(order.value.id)) ?? (await c.var.services.queries.sagaSummary(order.value.id))
  return saga ? c.json(saga) : problem(c, { code: 'not_found', detail: 'This order has no saga.' })
})

/** /api/v2/orders: the same list, money as `{ amount, currency }` objects. */
export const orderRoutesV2 = new Hono<OrdersEnv>()
orderRoutesV2.use(requirePrincipal())

orderRoutesV2.get('/', async (c) => {
  const query = validate(ListQuerySchema, c.req.query())
  if (!query.ok) return problem(c, query.error)
  const page = await c.var.services.queries.listOrders(userId(c), query.value.limit, query.value.cursor)
  return page.ok ? c.json({ items: page.value.items.map(toOrderV2), next_cursor: page.value.next_cursor }) : problem(c, page.error)
})
