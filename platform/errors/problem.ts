import type { Context } from 'hono'
import { statusForCode, titleForCode, typeForCode, type AppError, type Problem } from '../../shared-contracts/errors'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

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
  return new Response(JSON.stringify(body), { status, headers: responseHeaders })
}

/** The Hono form: reads the request id the request-id middleware set. */
export function problem(c: Context, error: AppError, headers: HeadersInit = {}): Response {
  return problemResponse(error, (c.get('requestId') as string | undefined) ?? 'unknown', headers)
}
