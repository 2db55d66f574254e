import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { buildOpenApiDocument } from '../../shared-contracts/openapi'
import { pathLevelResponses } from '../../shared-contracts/openapi-errors'
import type {
  HeaderObject,
  MediaTypeObject,
  OpenApiDocument,
  OperationObject,
  Reference,
  ResponseObject,
} from '../../shared-contracts/openapi-types'

/** A response as a client saw it: its body already parsed when it was JSON (null when empty). */
export interface ObservedResponse {
  status: number
  headers: Headers
  body: unknown
}

const BASE = 'https://edge-commerce.example/openapi.json'
type Method = 'get' | 'put' | 'post' | 'patch' | 'delete'

/**
 * Checks HTTP answers against the OpenAPI document (shared-contracts/openapi.ts): the status
 * must be one the operation documents, the headers it requires present and well-formed, the
 * content type one it lists and a JSON body valid against its schema (ajv, draft 2020-12).
 * A path outside the document must answer its 404, a method outside it its 405.
 */
export function createContract(document: OpenApiDocument = buildOpenApiDocument()) {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  // The document's components, so that `#/components/...` references resolve (made absolute below).
  ajv.addSchema({ $id: BASE, components: document.components })
  const compiled = new Map<unknown, ValidateFunction>()
  const validatorFor = (schema: unknown) => {
    let validate = compiled.get(schema)
    if (!validate) {
      validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${BASE}#/components/`)) as object)
      compiled.set(schema, validate)
    }
    return validate
  }
  const pathLevel = pathLevelResponses()
  const resolve = <T>(value: T | Reference): T => {
    if (!value || typeof value !== 'object' || !('$ref' in value)) return value as T
    const [, kind, name] = value.$ref.split('/').slice(1)
    return (document.components as unknown as Record<string, Record<string, T>>)[kind!]![name!]!
  }
  const templates = Object.keys(document.paths).map((path) => ({ path, segments: path.split('/').filter(Boolean) }))
  const findPath = (actual: string) => {
    const segments = actual.split('/').filter(Boolean)
    return templates.find(
      (template) =>
        template.segments.length === segments.length &&
        template.segments.every((part, index) => part.startsWith('{') || part === segments[index]),
    )?.path
  }

  function expectedResponse(
    method: string,
    pathname: string,
  ): { response: ResponseObject | undefined; where: string; operation?: OperationObject; status?: string } {
    const path = findPath(pathname)
    if (!path) return { response: pathLevel.NotFound, where: `${method} ${pathname} (no such path)` }
    const operation = document.paths[path]![(method === 'HEAD' ? 'get' : method.toLowerCase()) as Method]
    if (!operation) return { response: pathLevel.MethodNotAllowed, where: `${method} ${path} (no such operation)` }
    return { response: undefined, where: `${method} ${path}`, operation }
  }

  /** Every way the response departs from the document; empty when it conforms. */
  function violations(method: string, url: string, response: ObservedResponse): string[] {
    const pathname = new URL(url, 'http://localhost').pathname
    const found = expectedResponse(method, pathname)
    const status = String(response.status)
    const documented = found.operation
      ? found.operation.responses[status]
      : found.response && String(statusOf(found.response)) === status
        ? found.response
        : undefined
    if (!documented) return [`${found.where}: status ${status} is not documented`]
    const expected = resolve(documented)
    const problems: string[] = []
    for (const [name, headerOrRef] of Object.entries(expected.headers ?? {})) {
      const header = resolve<HeaderObject>(headerOrRef)
      const value = response.headers.get(name)
      if (value === null) {
        if (header.required) problems.push(`${found.where} ${status}: header ${name} is required`)
      } else if (!validatorFor(header.schema)(value))
        problems.push(`${found.where} ${status}: header ${name} "${value}" does not match ${JSON.stringify(header.schema)}`)
    }
    const contentType = response.headers.get('Content-Type')?.split(';')[0]?.trim() ?? null
    const content = expected.content ?? {}
    if (Object.keys(content).length === 0) {
      if (response.body !== null && response.body !== '') problems.push(`${found.where} ${status}: a body where none is documented`)
      return problems
    }
    if (method === 'HEAD') return problems
    const media: MediaTypeObject | undefined = contentType === null ? undefined : content[contentType]
    if (!media)
      return [...problems, `${found.where} ${status}: content type ${contentType} is not one of ${Object.keys(content).join(', ')}`]
    if (contentType!.endsWith('json')) {
      const validate = validatorFor(media.schema)
      if (!validate(response.body))
        problems.push(
          `${found.where} ${status}: body does not match the schema: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(response.body).slice(0, 500)}`,
        )
    }
    return problems
  }

  return {
    document,
    violations,
    /** Throws, listing every violation, unless the response conforms to the document. */
    assertConforms(method: string, url: string, response: ObservedResponse): void {
      const found = violations(method, url, response)
      if (found.length > 0) throw new Error(`The response breaks the API contract (openapi.json):\n- ${found.join('\n- ')}`)
    },
    /** A validator for any schema of the document (e.g. an example). */
    validatorFor,
  }
}

/** The status a path-level response (NotFound / MethodNotAllowed) stands for. */
function statusOf(response: ResponseObject): number | undefined {
  const schema = response.content?.['application/problem+json']?.schema as
    | { allOf?: { properties?: { status?: { const?: number } } }[] }
    | undefined
  return schema?.allOf?.[1]?.properties?.status?.const
}

export type Contract = ReturnType<typeof createContract>
