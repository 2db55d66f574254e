// One fast-check arbitrary of HTTP requests per operation of the OpenAPI document: its path
// parameters, query, headers and JSON body drawn from their schemas, valid-ish or hostile, now and
// then with a broken body, another content type or another method.
import fc from 'fast-check'
import type { JsonSchema, OpenApiDocument, OperationObject, ParameterObject } from '../../../shared-contracts/openapi-types'
import { SERVICES } from '../../../shared-contracts/routes'
import { createSchemaArbitraries, entriesToJson, hostileValue, ODD_STRINGS, PROTOTYPE_KEYS } from './schema-arbitraries'

export interface FuzzRequest {
  operation: string
  method: string
  /** Path and query, as sent. */
  url: string
  headers: Record<string, string>
  body?: string
}

export interface FuzzOperation {
  operation: string
  method: string
  path: string
  /** Who may call it, from its security requirement and the document's Admin tag. */
  access: 'public' | 'signed-in' | 'admin'
  requests: fc.Arbitrary<FuzzRequest>
}

/** Path segments that have broken routers: traversal, encodings (valid and not), length. */
const HOSTILE_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%2F',
  '%00',
  '%ZZ',
  '%',
  '%C0%AE',
  '%F0%9F%92%A5',
  '%20',
  '~',
  '%27',
  '%22',
  '%3Cscript%3E',
  'a'.repeat(3_000),
  ...SERVICES,
  'ord_x',
  'prd_x',
]

/** Bodies that are not JSON, or are JSON only just. */
const RAW_BODIES = [
  '',
  '{',
  '{"a":}',
  '[',
  'nul',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '\ufeff{}',
  '{"a":1,}',
  '"unterminated',
  '1e309',
  '{"name":"a","name":1}',
  '\u0000',
  `${'['.repeat(50_000)}`,
  `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
]

const OTHER_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  'APPLICATION/JSON',
]

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/** Header values must be printable ASCII to be sent at all. */
const headerSafe = (value: string) => value.replace(/[^\x20-\x7e]/g, '')

const asText = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))

export function fuzzOperations(document: OpenApiDocument): FuzzOperation[] {
  const schemas = createSchemaArbitraries(document.components.schemas)
  const operations: FuzzOperation[] = []
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item as Record<string, OperationObject>)) {
      const upper = method.toUpperCase()
      operations.push({
        operation: `${upper} ${template}`,
        method: upper,
        path: template,
        access: (operation.security ?? []).length === 0 ? 'public' : operation.tags.includes('Admin') ? 'admin' : 'signed-in',
        requests: requestsFor(upper, template, operation, schemas),
      })
    }
  }
  return operations
}

function requestsFor(
  method: string,
  template: string,
  operation: OperationObject,
  schemas: ReturnType<typeof createSchemaArbitraries>,
): fc.Arbitrary<FuzzRequest> {
  const parameters = operation.parameters ?? []
  const inPath = parameters.filter((parameter) => parameter.in === 'path')
  const inQuery = parameters.filter((parameter) => parameter.in === 'query')
  const inHeader = parameters.filter((parameter) => parameter.in === 'header')
  const text = (parameter: ParameterObject) =>
    fc.oneof(
      { weight: 4, arbitrary: schemas.validish(parameter.schema).map(asText) },
      { weight: 1, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    )

  const path = fc.tuple(
    ...inPath.map((parameter) =>
      fc.oneof(
        { weight: 3, arbitrary: schemas.validish(parameter.schema).map((value) => encodeURIComponent(asText(value))) },
        { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
      ),
    ),
  )
  const query = fc.tuple(
    fc.tuple(
      ...inQuery.map((parameter) =>
        fc.option(
          text(parameter).map((value) => [parameter.name, value] as [string, string]),
          { freq: parameter.required ? 8 : 2 },
        ),
      ),
    ),
    fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, 'user_id', 'limit', 'debug'), fc.string({ maxLength: 8 })),
        fc.constantFrom(...ODD_STRINGS.slice(0, 20)),
      ),
      { maxLength: 2 },
    ),
  )
  const headers = fc.tuple(
    ...inHeader.map((parameter) =>
      fc.option(
        text(parameter).map((value) => [parameter.name, headerSafe(value)] as [string, string]),
        { freq: parameter.required ? 8 : 2 },
      ),
    ),
  )
  const schema = operation.requestBody?.content['application/json']?.schema
  const json = schema
    ? fc.oneof(
        { weight: 8, arbitrary: schemas.object(schemas.resolve(schema as JsonSchema)).map(entriesToJson) },
        { weight: 1, arbitrary: hostileValue.map((value) => JSON.stringify(value) ?? 'null') },
        { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES) },
      )
    : fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES, '{}') })
  const contentType = fc.oneof(
    { weight: 10, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom(...OTHER_CONTENT_TYPES) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  )
  const chosenMethod = fc.oneof({ weight: 15, arbitrary: fc.constant(method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) })

  return fc
    .record({ segments: path, query, headers, body: json, contentType, method: chosenMethod })
    .map(({ segments, query: [known, extra], headers: headerPairs, body, contentType: type, method: sent }) => {
      let index = 0
      const pathname = template.replace(/\{[^}]+\}/g, () => segments[index++]!)
      const search = new URLSearchParams([...known.filter((pair) => pair !== null), ...extra]).toString()
      const withBody = body !== undefined && sent !== 'GET'
      const requestHeaders: Record<string, string> = Object.fromEntries(headerPairs.filter((pair) => pair !== null))
      if (withBody && type) requestHeaders['Content-Type'] = type
      return {
        operation: `${method} ${template}`,
        method: sent,
        url: search ? `${pathname}?${search}` : pathname,
        headers: requestHeaders,
        ...(withBody ? { body } : {}),
      }
    })
}
