import { z } from 'zod'
import { HealthSchema, JwksSchema, OpenApiDocumentSchema } from '../api-schemas'
import { EXAMPLES } from '../api-examples'
import { PUBLIC, route } from '../route'

/** The files `GET /docs/{asset}` serves: swagger-ui's bundle and styles, and the page's own script. */
export const DOCS_ASSETS = ['swagger-ui-bundle.js', 'swagger-ui.css', 'docs.js'] as const
export type DocsAsset = (typeof DOCS_ASSETS)[number]

export const health = route({
  method: 'GET',
  path: '/health',
  service: 'gateway',
  access: PUBLIC,
  summary: 'Health of the system',
  description: 'Every service is probed; one down makes the answer 503 with status `degraded`.',
  tag: 'System',
  success: { status: 200, schema: HealthSchema, example: EXAMPLES.health },
  others: [{ status: 503, description: 'A service is down', schema: HealthSchema, example: EXAMPLES.degraded }],
})

// The API reference: the OpenAPI document and the page that renders it (with its own assets).
export const openApiDocument = route({
  method: 'GET',
  path: '/openapi.json',
  service: 'gateway',
  access: PUBLIC,
  summary: 'This OpenAPI document',
  tag: 'System',
  conditional: true,
  success: { status: 200, schema: OpenApiDocumentSchema },
})

export const docsPage = route({
  method: 'GET',
  path: '/docs',
  service: 'gateway',
  access: PUBLIC,
  summary: 'The API reference page (HTML)',
  tag: 'System',
  success: { status: 200, contentTypes: ['text/html'] },
})

export const docsAsset = route({
  method: 'GET',
  path: '/docs/:asset',
  service: 'gateway',
  access: PUBLIC,
  summary: "The API reference page's scripts and styles",
  tag: 'System',
  params: z.object({ asset: z.enum(DOCS_ASSETS) }),
  conditional: true,
  success: { status: 200, contentTypes: ['text/javascript', 'text/css'] },
  errors: ['not_found'],
})

export const jwks = route({
  method: 'GET',
  path: '/.well-known/jwks.json',
  service: 'users',
  access: PUBLIC,
  summary: 'Public keys that sign access tokens (current and previous)',
  tag: 'Auth',
  success: { status: 200, schema: JwksSchema, example: EXAMPLES.jwks },
})
