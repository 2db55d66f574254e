// The parts of an OpenAPI 3.1 document this project writes (https://spec.openapis.org/oas/v3.1.0),
// as plain types: the document is data, built by ./openapi.ts and checked by a validator in tests.

/** A JSON Schema (draft 2020-12), as zod's toJSONSchema writes it. */
export type JsonSchema = Record<string, unknown>

export interface Reference {
  $ref: string
}

export interface HeaderObject {
  description: string
  required?: boolean
  schema: JsonSchema
}

export interface MediaTypeObject {
  schema: JsonSchema | Reference
  example?: unknown
}

export interface ResponseObject {
  description: string
  headers?: Record<string, HeaderObject | Reference>
  content?: Record<string, MediaTypeObject>
}

export interface ParameterObject {
  name: string
  in: 'query' | 'path' | 'header'
  required?: boolean
  description?: string
  schema: JsonSchema
  example?: unknown
}

export interface OperationObject {
  operationId: string
  summary: string
  description?: string
  tags: string[]
  deprecated?: boolean
  security?: Record<string, string[]>[]
  parameters?: ParameterObject[]
  requestBody?: { required: boolean; content: Record<string, MediaTypeObject> }
  responses: Record<string, ResponseObject | Reference>
}

export type PathItemObject = Partial<Record<'get' | 'put' | 'post' | 'patch' | 'delete', OperationObject>>

export interface OpenApiDocument {
  openapi: '3.1.0'
  info: { title: string; version: string; description: string; license: { name: string; url?: string; identifier?: string } }
  jsonSchemaDialect: string
  servers: { url: string; description?: string }[]
  tags: { name: string; description: string }[]
  paths: Record<string, PathItemObject>
  components: {
    schemas: Record<string, JsonSchema>
    responses: Record<string, ResponseObject>
    headers: Record<string, HeaderObject>
    securitySchemes: Record<string, { type: 'http'; scheme: 'bearer'; bearerFormat: string; description: string }>
  }
}
