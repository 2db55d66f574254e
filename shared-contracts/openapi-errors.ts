import { ERROR_CODES, statusForCode, titleForCode, typeForCode, type ErrorCode } from './errors'
import type { Route } from './route'
import type { HeaderObject, Reference, ResponseObject } from './openapi-types'

// The problem+json answers of an operation: the failures its route can meet on its way through
// the gateway (authentication, body checks, rate limits, the resilience layer) plus its own.

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

const header = (name: string): Reference => ({ $ref: `#/components/headers/${name}` })

/** Headers every answer (success or failure) of an operation can carry. */
export function commonHeaders(): Record<string, Reference> {
  return { 'X-Request-Id': header('X-Request-Id'), RateLimit: header('RateLimit'), 'RateLimit-Policy': header('RateLimit-Policy') }
}

/** The expected failures of a route: those of its kind, and its own. */
export function errorCodesOf(route: Route): ErrorCode[] {
  // The gateway refuses these on any route: too many or too large headers, and a body that is
  // too large, does not arrive within the client deadline, or is not JSON (even where none is
  // expected). A refusal spends the client's anonymous quota, so any answer may be a 429.
  const codes = new Set<ErrorCode>([
    'quota_exceeded',
    'internal_error',
    'header_too_large',
    'request_timeout',
    'payload_too_large',
    'unsupported_media_type',
  ])
  // A bearer token that is sent is verified whatever the route: one that does not verify is a 401,
  // and while the signing keys cannot be fetched the answer is a 503 (gateway authenticate).
  for (const code of ['unauthenticated', 'service_unavailable'] as const) codes.add(code)
  if (!('public' in route.access) && !route.access.roles.includes('customer')) codes.add('forbidden')
  if (route.body) for (const code of ['validation_failed', 'malformed_json'] as const) codes.add(code)
  if (route.query || route.headers) codes.add('validation_failed')
  // Forwarded routes meet the resilience layer: an open breaker or full bulkhead (the 503 above), a timeout.
  if (route.service !== 'gateway') codes.add('gateway_timeout')
  // (Credential routes also answer 503 when their fail-closed rate limiter cannot be reached.)
  for (const code of route.errors ?? []) codes.add(code)
  return ERROR_CODES.filter((code) => codes.has(code))
}

/** Headers a problem of this status carries, besides the common ones. */
function problemHeaders(status: number): Record<string, HeaderObject | Reference> {
  if (status === 401) return { 'WWW-Authenticate': header('WWW-Authenticate') }
  if (status === 429) return { 'Retry-After': { ...REQUIRED, ...HEADERS['Retry-After']! } }
  if (status === 503) return { 'Retry-After': header('Retry-After') }
  return {}
}
const REQUIRED = { required: true }

/** One response per status, its `code` narrowed to the codes the operation can answer with it. */
export function problemResponses(route: Route): Record<string, ResponseObject> {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of errorCodesOf(route)) byStatus.set(statusForCode(code), [...(byStatus.get(statusForCode(code)) ?? []), code])
  const responses: Record<string, ResponseObject> = {}
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const first = codes[0] as ErrorCode
    responses[String(status)] = {
      description: codes.map((code) => `\`${code}\`: ${titleForCode(code)}`).join('; '),
      headers: { ...commonHeaders(), ...problemHeaders(status) },
      content: {
        [PROBLEM_CONTENT_TYPE]: {
          schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { properties: { code: { enum: codes } } }] },
          example: {
            type: typeForCode(first),
            title: titleForCode(first),
            status,
            code: first,
            request_id: '3f0c9a52-5d1e-4a6b-9d7e-1b2c3d4e5f60',
          },
        },
      },
    }
  }
  return responses
}

/** The headers the document describes once (components.headers). */
export const HEADERS: Record<string, HeaderObject> = {
  'X-Request-Id': {
    description: 'The request id, also in every problem body and log line.',
    required: true,
    schema: { type: 'string', minLength: 1 },
  },
  RateLimit: {
    description: 'Remaining quota (IETF httpapi RateLimit header draft), e.g. `"anonymous";r=119;t=60`.',
    schema: { type: 'string' },
  },
  'RateLimit-Policy': {
    description: 'The quota policy (IETF httpapi RateLimit header draft), e.g. `"anonymous";q=120;w=60`.',
    schema: { type: 'string' },
  },
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'string', pattern: '^[0-9]+$' } },
  'WWW-Authenticate': { description: 'The bearer challenge (RFC 6750).', required: true, schema: { type: 'string', pattern: '^Bearer' } },
  Location: { description: 'Where the created resource lives.', required: true, schema: { type: 'string', pattern: '^/' } },
  ETag: { description: "The representation's entity tag; send it back in `If-None-Match`.", schema: { type: 'string' } },
  Deprecation: {
    description: 'When the operation was deprecated (RFC 9745), e.g. `@1767225600`.',
    required: true,
    schema: { type: 'string', pattern: '^@[0-9]+$' },
  },
  Sunset: { description: 'When the operation may stop answering (RFC 8594), an HTTP-date.', required: true, schema: { type: 'string' } },
  Link: {
    description: 'The successor version (`rel="successor-version"`) and the deprecation policy (`rel="deprecation"`).',
    required: true,
    schema: { type: 'string' },
  },
}

/**
 * The answers of a path rather than of an operation: an unknown path (404) and a known path with
 * another method (405, with `Allow`). OpenAPI has no place for them in the document, whose
 * description states them in words; the contract tests check answers against these.
 */
export function pathLevelResponses(): { NotFound: ResponseObject; MethodNotAllowed: ResponseObject } {
  const allow: HeaderObject = { description: 'The methods the path allows.', required: true, schema: { type: 'string' } }
  return {
    NotFound: pathProblem('No route has this path.', 'not_found', 404, {}),
    MethodNotAllowed: pathProblem('The path exists, but not with this method.', 'method_not_allowed', 405, { Allow: allow }),
  }
}

function pathProblem(description: string, code: ErrorCode, status: number, headers: Record<string, HeaderObject>): ResponseObject {
  return {
    description,
    headers: { 'X-Request-Id': HEADERS['X-Request-Id']!, ...headers },
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: { allOf: [{ $ref: '#/components/schemas/Problem' }, { properties: { code: { const: code }, status: { const: status } } }] },
      },
    },
  }
}
