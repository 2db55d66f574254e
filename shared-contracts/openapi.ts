import { z } from 'zod'
import { CircuitBreakerSchema, DeadLetterSchema, FaultStateSchema, HealthSchema, JwksSchema, OpenApiDocumentSchema } from './api-schemas'
import { ProblemSchema } from './errors'
import { FaultConfigSchema } from './faults'
import {
  CreateProductRequestSchema,
  ProductSchema,
  SetStockRequestSchema,
  StockLevelsSchema,
  UpdateProductRequestSchema,
} from './inventory'
import { NotificationSchema } from './notifications'
import { MoneySchema, OrderSchema, OrderV2Schema, PlaceOrderRequestSchema, SagaSchema } from './orders'
import { PaymentSchema } from './payments'
import type { Route } from './route'
import { ROUTES } from './routes'
import {
  AdminUserSchema,
  ChangePasswordRequestSchema,
  DeleteMeRequestSchema,
  LoginRequestSchema,
  RefreshRequestSchema,
  RegisterRequestSchema,
  TokenResponseSchema,
  UpdateMeRequestSchema,
  UserSchema,
} from './users'
import { commonHeaders, HEADERS, problemResponses } from './openapi-errors'
import type { JsonSchema, OpenApiDocument, OperationObject, ParameterObject, Reference, ResponseObject } from './openapi-types'

/** The version of the public API contract the document describes. */
export const API_VERSION = '1.1.0'
const SCHEMA_URI = (id: string) => `#/components/schemas/${id}`

/** Shapes with a name in the document; request bodies are read as input (defaults, transforms), answers as output. */
const REQUESTS = {
  RegisterRequest: RegisterRequestSchema,
  LoginRequest: LoginRequestSchema,
  RefreshRequest: RefreshRequestSchema,
  ChangePasswordRequest: ChangePasswordRequestSchema,
  DeleteMeRequest: DeleteMeRequestSchema,
  UpdateMeRequest: UpdateMeRequestSchema,
  CreateProductRequest: CreateProductRequestSchema,
  UpdateProductRequest: UpdateProductRequestSchema,
  SetStockRequest: SetStockRequestSchema,
  PlaceOrderRequest: PlaceOrderRequestSchema,
  FaultConfig: FaultConfigSchema,
}
const RESPONSES = {
  Problem: ProblemSchema,
  User: UserSchema,
  TokenResponse: TokenResponseSchema,
  AdminUser: AdminUserSchema,
  Product: ProductSchema,
  StockLevels: StockLevelsSchema,
  Order: OrderSchema,
  Money: MoneySchema,
  OrderV2: OrderV2Schema,
  Saga: SagaSchema,
  Payment: PaymentSchema,
  Notification: NotificationSchema,
  Health: HealthSchema,
  Jwks: JwksSchema,
  CircuitBreaker: CircuitBreakerSchema,
  DeadLetter: DeadLetterSchema,
  FaultState: FaultStateSchema,
  OpenApiDocument: OpenApiDocumentSchema,
}

/** `/api/v1/orders/:id/saga` → `/api/v1/orders/{id}/saga`. */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}')

/** `GET /api/v1/orders/{id}/saga` → `getV1OrdersByIdSaga`: stable, readable operation ids. */
function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((part) => part && part !== 'api')
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part))
  const camel = words
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(pascal)
  return method.toLowerCase() + camel.join('')
}

const pascal = (word: string) => word[0]!.toUpperCase() + word.slice(1)

function toJsonSchemas(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: SCHEMA_URI, unrepresentable: 'any' })
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema as JsonSchema]))
}

function inline(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _schema, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema
  return json
}

/** A `$ref` to the schema's component, naming it `fallback` if it has no name yet. */
type Namer = (schema: z.ZodType, fallback: string, io: 'input' | 'output') => Reference

const IF_NONE_MATCH: ParameterObject = {
  name: 'If-None-Match',
  in: 'header',
  description: 'An `ETag` seen before: a 304 if it still matches.',
  schema: { type: 'string' },
}

/** One parameter per field of a params, query or headers schema; a field's description and first example move up to the parameter. */
function fieldParameters(schema: z.ZodObject, location: ParameterObject['in']): ParameterObject[] {
  const json = inline(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] }
  return Object.entries(json.properties ?? {}).map(([name, { description, examples, ...field }]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required?.includes(name) ?? false),
    ...(typeof description === 'string' ? { description } : {}),
    schema: field,
    ...(Array.isArray(examples) ? { example: examples[0] } : {}),
  }))
}

function parametersOf(route: Route): ParameterObject[] {
  const declared = route.params ? fieldParameters(route.params, 'path') : []
  const path = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map(
    ([, name]): ParameterObject =>
      declared.find((parameter) => parameter.name === name) ?? {
        name: name!,
        in: 'path',
        required: true,
        schema: { type: 'string', minLength: 1 },
      },
  )
  const query = route.query ? fieldParameters(route.query, 'query') : []
  const headers = route.headers ? fieldParameters(route.headers, 'header') : []
  if (route.conditional) headers.push(IF_NONE_MATCH)
  return [...path, ...query, ...headers]
}

function successResponse(route: Route, named: Namer): ResponseObject {
  const { success } = route
  const headers: ResponseObject['headers'] = { ...commonHeaders() }
  if (success.location) headers.Location = { $ref: '#/components/headers/Location' }
  if (route.conditional) headers.ETag = { $ref: '#/components/headers/ETag' }
  if (route.deprecation) for (const name of ['Deprecation', 'Sunset', 'Link']) headers[name] = { $ref: `#/components/headers/${name}` }
  const fallback = `${pascal(operationId(route.method, route.path))}Response`
  const content: ResponseObject['content'] = success.schema
    ? { 'application/json': { schema: named(success.schema, fallback, 'output'), example: success.example } }
    : Object.fromEntries((success.contentTypes ?? []).map((type) => [type, { schema: { type: 'string' } }]))
  // An answer without a body (204, or a 202 that only acknowledges) documents no content at all.
  return Object.keys(content).length > 0 ? { description: route.summary, headers, content } : { description: route.summary, headers }
}

function requestBody(body: NonNullable<Route['body']>, schema: Reference): OperationObject['requestBody'] {
  return { required: true, content: { 'application/json': { schema, example: body.example } } }
}

function operation(route: Route, named: Namer): OperationObject {
  const id = operationId(route.method, route.path)
  const responses: OperationObject['responses'] = { [String(route.success.status)]: successResponse(route, named) }
  if (route.conditional) responses['304'] = { $ref: '#/components/responses/NotModified' }
  Object.assign(responses, problemResponses(route))
  for (const other of route.others ?? []) {
    responses[String(other.status)] = {
      description: other.description,
      headers: commonHeaders(),
      content: { 'application/json': { schema: named(other.schema, `${pascal(id)}${other.status}`, 'output'), example: other.example } },
    }
  }
  const deprecation = route.deprecation
    ? `\n\n**Deprecated** since ${route.deprecation.since}; it may stop answering after ${route.deprecation.sunset}. Use \`${route.deprecation.successor}\`.`
    : ''
  return {
    operationId: id,
    summary: route.summary,
    ...(route.description || deprecation ? { description: `${route.description ?? ''}${deprecation}`.trim() } : {}),
    tags: [route.tag],
    ...(route.deprecation ? { deprecated: true } : {}),
    // A public operation says so (an empty list): no token needed, though one sent is verified.
    security: 'public' in route.access ? [] : [{ bearerAuth: [] }],
    parameters: parametersOf(route),
    ...(route.body ? { requestBody: requestBody(route.body, named(route.body.schema, `${pascal(id)}Request`, 'input')) } : {}),
    responses,
  }
}

const TAGS: OpenApiDocument['tags'] = [
  { name: 'System', description: 'Health, signing keys and this reference.' },
  { name: 'Auth', description: 'Accounts and access tokens.' },
  { name: 'Users', description: 'The signed-in user.' },
  { name: 'Catalog', description: 'Products and stock.' },
  { name: 'Orders', description: 'Placing and reading orders (v1 and v2).' },
  { name: 'Payments', description: 'Payments of orders.' },
  { name: 'Notifications', description: "The caller's notifications." },
  { name: 'Admin', description: 'Operations for the `admin` role.' },
]

const DESCRIPTION = `The public API of edge-commerce, generated from the contract schemas (shared-contracts) and the gateway's route table.

Errors are RFC 9457 \`application/problem+json\` with a stable \`code\`. Lists take \`?limit=&cursor=\` and answer \`{ items, next_cursor }\`. Money is integer minor units with an ISO 4217 currency (v1) or \`{ amount, currency }\` objects (v2).

An unknown path answers 404 and a known path with another method 405 with \`Allow\`, both as problem+json. A deprecated operation answers \`Deprecation\`, \`Sunset\` and \`Link: <successor>; rel="successor-version"\` headers; it keeps answering until its sunset date.`

/**
 * The project grants no licence (package.json is private and names none; there is no LICENSE
 * file): all rights reserved. SPDX has no id for that, so the identifier is a `LicenseRef-`.
 */
const LICENSE: OpenApiDocument['info']['license'] = {
  name: 'Proprietary (UNLICENSED): all rights reserved',
  identifier: 'LicenseRef-Proprietary',
}

/** The OpenAPI 3.1 document of every route in ROUTES, built from the zod schemas (one source of truth). */
export function buildOpenApiDocument(): OpenApiDocument {
  const registries = { input: z.registry<{ id: string }>(), output: z.registry<{ id: string }>() }
  for (const [id, schema] of Object.entries(REQUESTS)) registries.input.add(schema, { id })
  for (const [id, schema] of Object.entries(RESPONSES)) registries.output.add(schema, { id })
  const named: Namer = (schema, fallback, io) => {
    const known = registries.input.get(schema)?.id ?? registries.output.get(schema)?.id
    if (known) return { $ref: SCHEMA_URI(known) }
    registries[io].add(schema, { id: fallback })
    return { $ref: SCHEMA_URI(fallback) }
  }
  const paths: OpenApiDocument['paths'] = {}
  for (const route of ROUTES) {
    const path = openApiPath(route.path)
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route, named) }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'edge-commerce API', version: API_VERSION, description: DESCRIPTION, license: LICENSE },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: '/' }],
    tags: TAGS,
    paths,
    components: {
      schemas: { ...toJsonSchemas(registries.input, 'input'), ...toJsonSchemas(registries.output, 'output') },
      responses: {
        NotModified: {
          description: 'The representation has not changed since the `ETag` sent in `If-None-Match`.',
          headers: { ...commonHeaders(), ETag: { $ref: '#/components/headers/ETag' } },
        },
      },
      headers: HEADERS,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token from `POST /api/v1/auth/login` (ES256, 15 minutes).',
        },
      },
    },
  }
}
