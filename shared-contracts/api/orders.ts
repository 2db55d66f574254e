import { z } from 'zod'
import { pageSchema } from '../api-schemas'
import { EXAMPLES } from '../api-examples'
import { MAX_IDEMPOTENCY_KEY_LENGTH, OrderSchema, OrderV2Schema, PlaceOrderRequestSchema, SagaListQuerySchema, SagaSchema } from '../orders'
import { ListQuerySchema } from '../pagination'
import { ADMIN, route, SIGNED_IN, type Deprecation } from '../route'

/** v1 order lists, replaced by v2's money objects; docs/api.md, "Versioning and deprecation", states the policy. */
const ORDERS_V1_DEPRECATION: Deprecation = { successor: '/api/v2/orders', since: '2026-01-01T00:00:00Z', sunset: '2027-07-01T00:00:00Z' }

/** Chosen by the client, one per intended request; a retry sends the same key (and body). */
export const IdempotencyKeySchema = z
  .string({ error: 'is required' })
  .regex(/\S/, 'is required')
  .max(MAX_IDEMPOTENCY_KEY_LENGTH, `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`)
  .meta({
    description: 'Chosen by the client, one per intended request; a retry sends the same key (and body).',
    examples: ['7b0e4a1c-order-42'],
  })

export const placeOrder = route({
  method: 'POST',
  path: '/api/v1/orders',
  service: 'orders',
  access: SIGNED_IN,
  summary: 'Place an order',
  description:
    'Accepted at once (202, status `pending`); stock and payment follow in the saga. The same `Idempotency-Key` and body answer the same response again and place one order; the same key with another body is a 422.',
  tag: 'Orders',
  headers: z.object({ 'Idempotency-Key': IdempotencyKeySchema }),
  body: { schema: PlaceOrderRequestSchema, example: EXAMPLES.placeOrder },
  success: { status: 202, schema: OrderSchema, example: EXAMPLES.order, location: true },
  errors: ['conflict', 'idempotency_key_reused', 'dependency_unavailable'],
})

export const listOrders = route({
  method: 'GET',
  path: '/api/v1/orders',
  service: 'orders',
  access: SIGNED_IN,
  deprecation: ORDERS_V1_DEPRECATION,
  summary: "The caller's orders (v1)",
  tag: 'Orders',
  query: ListQuerySchema,
  success: { status: 200, schema: pageSchema(OrderSchema), example: { items: [EXAMPLES.order], next_cursor: null } },
})

export const getOrder = route({
  method: 'GET',
  path: '/api/v1/orders/:id',
  service: 'orders',
  access: SIGNED_IN,
  summary: "One of the caller's orders",
  description: "Another user's order is a 404.",
  tag: 'Orders',
  success: { status: 200, schema: OrderSchema, example: EXAMPLES.order },
  errors: ['not_found'],
})

export const getOrderSaga = route({
  method: 'GET',
  path: '/api/v1/orders/:id/saga',
  service: 'orders',
  access: SIGNED_IN,
  summary: "An order's saga: its steps and their outcomes",
  tag: 'Orders',
  success: { status: 200, schema: SagaSchema, example: EXAMPLES.saga },
  errors: ['not_found'],
})

export const listOrdersV2 = route({
  method: 'GET',
  path: '/api/v2/orders',
  service: 'orders',
  access: SIGNED_IN,
  summary: "The caller's orders (v2: money as { amount, currency })",
  tag: 'Orders',
  query: ListQuerySchema,
  success: { status: 200, schema: pageSchema(OrderV2Schema), example: { items: [EXAMPLES.orderV2], next_cursor: null } },
})

export const adminListSagas = route({
  method: 'GET',
  path: '/api/v1/admin/sagas',
  service: 'orders',
  access: ADMIN,
  summary: 'Every saga, newest first',
  tag: 'Admin',
  query: SagaListQuerySchema,
  success: { status: 200, schema: pageSchema(SagaSchema), example: { items: [EXAMPLES.saga], next_cursor: null } },
})
