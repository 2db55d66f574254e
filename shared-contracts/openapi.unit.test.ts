import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { createContract } from '../test/support/contract'
import { buildOpenApiDocument, openApiPath } from './openapi'
import type { OperationObject, ResponseObject } from './openapi-types'
import { ROUTES } from './routes'

const document = buildOpenApiDocument()
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ key: `${method.toUpperCase()} ${path}`, operation: operation as OperationObject })),
)
const byKey = new Map(operations.map(({ key, operation }) => [key, operation]))

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator()
    const result = await validator.validate(structuredClone(document) as unknown as Parameters<Validator['validate']>[0])
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('documents exactly the routes of the route table: a route without documentation fails the build', () => {
    const documented = operations.map(({ key }) => key).sort()
    expect(documented).toEqual(ROUTES.map((route) => `${route.method} ${openApiPath(route.path)}`).sort())
  })

  it('asks for a bearer token exactly where the route table does', () => {
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    for (const route of ROUTES) {
      const operation = byKey.get(`${route.method} ${openApiPath(route.path)}`)!
      expect(operation.security, route.path).toEqual('public' in route.access ? [] : [{ bearerAuth: [] }])
      // Public routes answer 401 too, but only to a token that is sent and does not verify.
      expect(Object.keys(operation.responses), route.path).toContain('401')
    }
  })

  it('marks deprecated exactly the routes the route table gives a successor, with the headers they send', () => {
    const deprecated = operations.filter(({ operation }) => operation.deprecated).map(({ key }) => key)
    expect(deprecated).toEqual(ROUTES.filter((route) => route.deprecation).map((route) => `${route.method} ${openApiPath(route.path)}`))
    expect(deprecated).toEqual(['GET /api/v1/orders'])
    const success = byKey.get('GET /api/v1/orders')!.responses['200'] as ResponseObject
    expect(Object.keys(success.headers ?? {})).toEqual(expect.arrayContaining(['Deprecation', 'Sunset', 'Link']))
    expect(byKey.get('GET /api/v2/orders')!.deprecated).toBeUndefined()
  })

  it('answers every failure as problem+json with the statuses the route can meet', () => {
    const statuses = (key: string) => Object.keys(byKey.get(key)!.responses)
    expect(statuses('POST /api/v1/orders')).toEqual([
      '202',
      '400',
      '401',
      '408',
      '409',
      '413',
      '415',
      '422',
      '429',
      '431',
      '500',
      '503',
      '504',
    ])
    expect(statuses('POST /api/v1/products')).toContain('403')
    expect(statuses('GET /api/v1/products/{id}')).toEqual([
      '200',
      '304',
      '401',
      '404',
      '408',
      '413',
      '415',
      '429',
      '431',
      '500',
      '503',
      '504',
    ])
    expect(statuses('GET /openapi.json')).toEqual(['200', '304', '401', '408', '413', '415', '429', '431', '500', '503'])
    for (const { key, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || key === 'GET /health') continue
        expect(Object.keys((response as ResponseObject).content ?? {}), `${key} ${status}`).toEqual(['application/problem+json'])
      }
    }
  })

  it('has request and response examples that match their own schemas', () => {
    const contract = createContract(document)
    let checked = 0
    for (const { key, operation } of operations) {
      const media = [
        ...Object.values(operation.requestBody?.content ?? {}),
        ...Object.values(operation.responses).flatMap((response) => Object.values((response as ResponseObject).content ?? {})),
      ]
      for (const { schema, example } of media) {
        if (example === undefined) continue
        const validate = contract.validatorFor(schema)
        expect(validate(example), `${key}: ${JSON.stringify(validate.errors)}`).toBe(true)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(40)
  })
})
