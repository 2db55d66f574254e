import type { z } from 'zod'
import { CircuitBreakerSchema, DeadLetterSchema, FaultStateSchema, HealthSchema, JwksSchema, OpenApiDocumentSchema, pageSchema } from './api-schemas'
import type { ErrorCode } from './errors'
import { FaultConfigSchema } from './faults'
import { CreateProductRequestSchema, ProductSchema, SetStockRequestSchema, StockLevelsSchema, UpdateProductRequestSchema } from './inventory'
import { NotificationListQuerySchema, NotificationSchema } from './notifications'
import { OrderSchema, OrderV2Schema, PlaceOrderRequestSchema, SagaListQuerySchema, SagaSchema } from './orders'
import { RebuildResultSchema, ReplayRequestSchema, ReplayResultSchema } from './operations'
import { ListQuerySchema } from './pagination'
import { SERVICES } from './routes'
import { PaymentListQuerySchema, PaymentSchema } from './payments'
import { AdminUserSchema, ChangePasswordRequestSchema, DeleteMeRequestSchema, LoginRequestSchema, RefreshRequestSchema, RegisterRequestSchema, TokenResponseSchema, UpdateMeRequestSchema, UserSchema } from './users'
import { EXAMPLES } from './api-examples'

/** A route's documentation: what ./openapi.ts needs beyond the route table to describe it. */
export interface RouteDoc {
  summary: string
  description?: string
  tag: 'System' | 'Auth' | 'Users' | 'Catalog' | 'Orders' | 'Payments' | 'Notifications' | 'Admin'
  /** Path parameters that take one of a few values (others answer 404). */
  pathValues?: Record<string, readonly string[]>
  /** Query parameters, exactly as the service validates them (unknown ones are refused). */
  query?: z.ZodObject
  /** The JSON request body. */
  body?: { schema: z.ZodType; example: unknown }
  /** The request needs an `Idempotency-Key` header. */
  idempotencyKey?: boolean
  /** Answers an `ETag` and honours `If-None-Match` with a 304. */
  conditional?: boolean
  success: {
    status: 200 | 201 | 202 | 204
    /** A JSON body; or, without one, the content types of a body that is not JSON (none: no body). */
    schema?: z.ZodType
    contentTypes?: readonly string[]
    example?: unknown
    /** The answer carries `Location` (the created resource). */
    location?: boolean
  }
  /** Answers other than the success that are not problems (a degraded health report). */
  others?: readonly { status: number; description: string; schema: z.ZodType; example: unknown }[]
  /** Expected failures of this route, beyond those every route of its kind can answer (openapi.ts). */
  errors?: readonly ErrorCode[]
}

const ProductPage = pageSchema(ProductSchema)

/** The files `GET /docs/{asset}` serves: swagger-ui's bundle and styles, and the page's own script. */
export const DOCS_ASSETS = ['swagger-ui-bundle.js', 'swagger-ui.css', 'docs.js'] as const
export type DocsAsset = (typeof DOCS_ASSETS)[number]

/** Every row of ROUTES (`<METHOD> <path>`), documented; a unit test keeps the two equal. */
export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /health': {
    summary: 'Health of the system',
    description: 'Every service is probed; one down makes the answer 503 with status `degraded`.',
    tag: 'System',
    success: { status: 200, schema: HealthSchema, example: EXAMPLES.health },
    others: [{ status: 503, description: 'A service is down', schema: HealthSchema, example: EXAMPLES.degraded }],
  },
  'GET /openapi.json': {
    summary: 'This OpenAPI document',
    tag: 'System',
    conditional: true,
    success: { status: 200, schema: OpenApiDocumentSchema },
  },
  'GET /docs': { summary: 'The API reference page (HTML)', tag: 'System', success: { status: 200, contentTypes: ['text/html'] } },
  'GET /docs/{asset}': {
    summary: "The API reference page's scripts and styles",
    tag: 'System',
    pathValues: { asset: DOCS_ASSETS },
    conditional: true,
    success: { status: 200, contentTypes: ['text/javascript', 'text/css'] },
    errors: ['not_found'],
  },
  'GET /.well-known/jwks.json': {
    summary: 'Public keys that sign access tokens (current and previous)',
    tag: 'Auth',
    success: { status: 200, schema: JwksSchema, example: EXAMPLES.jwks },
  },
  'POST /api/v1/auth/register': {
    summary: 'Create a customer account',
    tag: 'Auth',
    body: { schema: RegisterRequestSchema, example: EXAMPLES.register },
    success: { status: 201, schema: UserSchema, example: EXAMPLES.user, location: true },
    errors: ['email_taken'],
  },
  'POST /api/v1/auth/login': {
    summary: 'Exchange an email and password for an access token and a refresh token',
    description:
      'A wrong email and a wrong password answer the same 401. The refresh token starts a session (30 days without use, 90 at most); the answer is `Cache-Control: no-store`.',
    tag: 'Auth',
    body: { schema: LoginRequestSchema, example: EXAMPLES.login },
    success: { status: 200, schema: TokenResponseSchema, example: EXAMPLES.token },
    errors: ['invalid_credentials'],
  },
  'POST /api/v1/auth/refresh': {
    summary: 'Exchange a refresh token for a new access token and a new refresh token',
    description:
      'Each refresh token works once (rotation). Presenting one that was already used ends its whole session: every token of it stops working (reuse detection). An unknown, expired, used or revoked token answers the same 401.',
    tag: 'Auth',
    body: { schema: RefreshRequestSchema, example: { refresh_token: EXAMPLES.token.refresh_token } },
    success: { status: 200, schema: TokenResponseSchema, example: EXAMPLES.token },
    errors: ['invalid_refresh_token'],
  },
  'POST /api/v1/auth/logout': {
    summary: "End the caller's session",
    description:
      "The session of the refresh token sent ends at once: none of its refresh tokens works again. A token that is not the caller's, or already ended, changes nothing (still 204). Access tokens already issued stay valid until they expire (at most 15 minutes).",
    tag: 'Auth',
    body: { schema: RefreshRequestSchema, example: { refresh_token: EXAMPLES.token.refresh_token } },
    success: { status: 204 },
  },
  'GET /api/v1/users/me': {
    summary: 'The signed-in user',
    tag: 'Users',
    success: { status: 200, schema: UserSchema, example: EXAMPLES.user },
    errors: ['not_found'],
  },
  'PATCH /api/v1/users/me': {
    summary: 'Rename the signed-in user',
    description: 'Only `name` may change; any other field is a 400.',
    tag: 'Users',
    body: { schema: UpdateMeRequestSchema, example: { name: 'Ada King' } },
    success: { status: 200, schema: UserSchema, example: EXAMPLES.user },
    errors: ['not_found'],
  },
  'DELETE /api/v1/users/me': {
    summary: 'Delete the signed-in account',
    description:
      'The password is checked again. Email, name, password and sessions are removed at once (the email can register again); every other service then removes or anonymises what it holds of the user (`user.deleted`). Orders and payments stay, without the user. Access tokens already issued stay valid until they expire (at most 15 minutes).',
    tag: 'Users',
    body: { schema: DeleteMeRequestSchema, example: { password: EXAMPLES.login.password } },
    success: { status: 202 },
    errors: ['invalid_credentials', 'not_found'],
  },
  'POST /api/v1/users/me/password': {
    summary: "Change the signed-in user's password",
    description:
      'The new password follows the registration rules. Every session of the user ends, except the one whose `refresh_token` is sent along. A wrong current password is a 401 and counts like a failed login.',
    tag: 'Users',
    body: { schema: ChangePasswordRequestSchema, example: EXAMPLES.changePassword },
    success: { status: 204 },
    errors: ['invalid_credentials', 'not_found'],
  },
  'GET /api/v1/admin/users/{id}': {
    summary: "An account's state",
    description: 'Status `active` or `deleted`; no personal data, and none is kept once deleted.',
    tag: 'Admin',
    success: { status: 200, schema: AdminUserSchema, example: EXAMPLES.adminUser },
    errors: ['not_found'],
  },
  'GET /api/v1/products': {
    summary: 'List products',
    tag: 'Catalog',
    query: ListQuerySchema,
    conditional: true,
    success: { status: 200, schema: ProductPage, example: { items: [EXAMPLES.product], next_cursor: null } },
  },
  'POST /api/v1/products': {
    summary: 'Create a product',
    tag: 'Catalog',
    body: { schema: CreateProductRequestSchema, example: EXAMPLES.createProduct },
    success: { status: 201, schema: ProductSchema, example: EXAMPLES.product, location: true },
    errors: ['sku_taken'],
  },
  'GET /api/v1/products/{id}': {
    summary: 'One product',
    tag: 'Catalog',
    conditional: true,
    success: { status: 200, schema: ProductSchema, example: EXAMPLES.product },
    errors: ['not_found'],
  },
  'PATCH /api/v1/products/{id}': {
    summary: 'Change a product',
    tag: 'Catalog',
    body: { schema: UpdateProductRequestSchema, example: { price_cents: 1990 } },
    success: { status: 200, schema: ProductSchema, example: EXAMPLES.product },
    errors: ['not_found'],
  },
  'GET /api/v1/inventory/{product_id}': {
    summary: "A product's stock levels",
    tag: 'Catalog',
    success: { status: 200, schema: StockLevelsSchema, example: EXAMPLES.stock },
    errors: ['not_found'],
  },
  'PUT /api/v1/inventory/{product_id}': {
    summary: "Set a product's stock on hand",
    tag: 'Catalog',
    body: { schema: SetStockRequestSchema, example: { on_hand: 42 } },
    success: { status: 200, schema: StockLevelsSchema, example: EXAMPLES.stock },
    errors: ['not_found', 'conflict'],
  },
  'POST /api/v1/orders': {
    summary: 'Place an order',
    description:
      'Accepted at once (202, status `pending`); stock and payment follow in the saga. The same `Idempotency-Key` and body answer the same response again and place one order; the same key with another body is a 422.',
    tag: 'Orders',
    idempotencyKey: true,
    body: { schema: PlaceOrderRequestSchema, example: EXAMPLES.placeOrder },
    success: { status: 202, schema: OrderSchema, example: EXAMPLES.order, location: true },
    errors: ['conflict', 'idempotency_key_reused'],
  },
  'GET /api/v1/orders': {
    summary: "The caller's orders (v1)",
    tag: 'Orders',
    query: ListQuerySchema,
    success: { status: 200, schema: pageSchema(OrderSchema), example: { items: [EXAMPLES.order], next_cursor: null } },
  },
  'GET /api/v1/orders/{id}': {
    summary: 'One of the caller\'s orders',
    description: "Another user's order is a 404.",
    tag: 'Orders',
    success: { status: 200, schema: OrderSchema, example: EXAMPLES.order },
    errors: ['not_found'],
  },
  'GET /api/v1/orders/{id}/saga': {
    summary: "An order's saga: its steps and their outcomes",
    tag: 'Orders',
    success: { status: 200, schema: SagaSchema, example: EXAMPLES.saga },
    errors: ['not_found'],
  },
  'GET /api/v2/orders': {
    summary: "The caller's orders (v2: money as { amount, currency })",
    tag: 'Orders',
    query: ListQuerySchema,
    success: { status: 200, schema: pageSchema(OrderV2Schema), example: { items: [EXAMPLES.orderV2], next_cursor: null } },
  },
  'GET /api/v1/admin/sagas': {
    summary: 'Every saga, newest first',
    tag: 'Admin',
    query: SagaListQuerySchema,
    success: { status: 200, schema: pageSchema(SagaSchema), example: { items: [EXAMPLES.saga], next_cursor: null } },
  },
  'GET /api/v1/payments': {
    summary: "An order's payments",
    description: 'An admin sees any order\'s payments; a customer only their own (another\'s order is a 404).',
    tag: 'Payments',
    query: PaymentListQuerySchema,
    success: { status: 200, schema: pageSchema(PaymentSchema), example: { items: [EXAMPLES.payment], next_cursor: null } },
    errors: ['not_found'],
  },
  'GET /api/v1/notifications': {
    summary: "The caller's notifications, newest first",
    tag: 'Notifications',
    query: NotificationListQuerySchema,
    success: { status: 200, schema: pageSchema(NotificationSchema), example: { items: [EXAMPLES.notification], next_cursor: null } },
  },
  'GET /api/v1/admin/dead-letters': {
    summary: 'Messages that exhausted their retries, in every service',
    description: 'Newest first across every subscriber; pages with `limit` and `cursor` like every list.',
    tag: 'Admin',
    query: ListQuerySchema,
    success: { status: 200, schema: pageSchema(DeadLetterSchema), example: { items: [EXAMPLES.deadLetter], next_cursor: null } },
  },
  'POST /api/v1/admin/dead-letters/{id}/replay': {
    summary: 'Send a dead letter through its consumer again',
    tag: 'Admin',
    success: { status: 200, schema: DeadLetterSchema, example: EXAMPLES.deadLetter },
    errors: ['not_found', 'conflict'],
  },
  'GET /api/v1/admin/circuit-breakers': {
    summary: "Every downstream service's circuit breaker",
    tag: 'Admin',
    success: { status: 200, schema: pageSchema(CircuitBreakerSchema), example: { items: [EXAMPLES.breaker], next_cursor: null } },
  },
  'POST /api/v1/admin/events/replay': {
    summary: 'Re-publish retained events to their subscribers',
    description:
      'Every producer keeps its sent events for the retention window (`EVENT_RETENTION_DAYS`, 7 days) and re-publishes those created at or after `since`, of one `service` and one `type` when given. Consumers deduplicate, so a replay changes nothing already applied and fills in what was lost.',
    tag: 'Admin',
    body: { schema: ReplayRequestSchema, example: { since: '2026-01-01T00:00:00Z', service: 'orders', type: 'com.edgecommerce.order.confirmed.v1' } },
    success: { status: 202, schema: ReplayResultSchema, example: { replayed: 42 } },
  },
  'POST /api/v1/admin/read-models/orders/rebuild': {
    summary: 'Recompute the orders read model from the aggregate',
    description: 'Writes every view row that is missing, behind or different; never one that is ahead (an event newer than the read). `rebuilt` counts the rows written.',
    tag: 'Admin',
    success: { status: 202, schema: RebuildResultSchema, example: { rebuilt: 3 } },
  },
  'PUT /api/v1/admin/faults/{service}': {
    summary: 'Inject faults into a service (local development only)',
    description: 'Exists only where the `FAULT_INJECTION` var is `enabled`; a 404 everywhere else.',
    tag: 'Admin',
    pathValues: { service: SERVICES },
    body: { schema: FaultConfigSchema, example: { mode: 'error', rate: 0.5 } },
    success: { status: 200, schema: FaultStateSchema, example: { service: 'payments', mode: 'error', rate: 0.5 } },
    errors: ['not_found'],
  },
}
