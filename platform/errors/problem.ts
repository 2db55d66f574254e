import type { Context } from 'hono'
import { statusForCode, titleForCode, typeForCode, type AppError, type ErrorCode, type Problem } from '../../shared-contracts/errors'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/**
 * `Retry-After` (seconds) for codes that always say "try again later" when the caller gave none:
 * a dependency's outage is usually short, and a client should not hammer the service meanwhile.
 */
const DEFAULT_RETRY_AFTER_S: Partial<Record<ErrorCode, number>> = { dependency_unavailable: 5 }

/** Builds an RFC 9457 problem+json response for an expected failure. */
export function problemResponse(error: AppError, requestId: string, headers: HeadersInit = {}): Response {
  const status = statusForCode(error.code)
  const body: Problem = {
    type: typeForCode(error.code),
    title: titleForCode(error.code),
    status,
    code: error.code,
    request_id: requestId,
    ...(error.detail === undefined ? {} : { detail: error.detail }),
    ...(error.errors === undefined ? {} : { errors: error.errors }),
  }
  const responseHeaders = new Headers(headers)
  responseHeaders.set('Content-Type', PROBLEM_CONTENT_TYPE)
  const retryAfter = DEFAULT_RETRY_AFTER_S[error.code]
  if (retryAfter !== undefined && !responseHeaders.has('Retry-After')) responseHeaders.set('Retry-After', String(retryAfter))
  return new Response(JSON.stringify(body), { status, headers: responseHeaders })
}

/** The Hono form: reads the request id the request-id middleware set. */
export function problem(c: Context, error: AppError, headers: HeadersInit = {}): Response {
  return problemResponse(error, (c.get('requestId') as string | undefined) ?? 'unknown', headers)
}
