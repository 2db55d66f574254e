import { z } from 'zod'

/** Stable error codes: part of the public API. Never rename one; add new ones. */
export const ERROR_CODES = [
  'validation_failed',
  'malformed_json',
  'unauthenticated',
  'invalid_credentials',
  'invalid_refresh_token',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'email_taken',
  'sku_taken',
  'out_of_stock',
  'conflict',
  'payment_declined',
  'idempotency_key_reused',
  'payload_too_large',
  'request_timeout',
  'unsupported_media_type',
  'header_too_large',
  'quota_exceeded',
  'internal_error',
  'provider_error',
  'service_unavailable',
  'gateway_timeout',
  'dependency_unavailable',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** The HTTP status each code is answered with; exhaustive by construction. */
export function statusForCode(code: ErrorCode): number {
  switch (code) {
    case 'validation_failed':
    case 'malformed_json':
      return 400
    case 'unauthenticated':
    case 'invalid_credentials':
    case 'invalid_refresh_token':
      return 401
    case 'forbidden':
      return 403
    case 'not_found':
      return 404
    case 'method_not_allowed':
      return 405
    case 'email_taken':
    case 'sku_taken':
    case 'out_of_stock':
    case 'conflict':
      return 409
    case 'payment_declined':
      return 402
    case 'idempotency_key_reused':
      return 422
    case 'request_timeout':
      return 408
    case 'payload_too_large':
      return 413
    case 'unsupported_media_type':
      return 415
    case 'header_too_large':
      return 431
    case 'quota_exceeded':
      return 429
    case 'internal_error':
      return 500
    case 'provider_error':
      return 502
    case 'service_unavailable':
    case 'dependency_unavailable':
      return 503
    case 'gateway_timeout':
      return 504
  }
}

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'The request is invalid',
  malformed_json: 'The request body is not valid JSON',
  unauthenticated: 'Authentication is required',
  invalid_credentials: 'The email or password is wrong',
  invalid_refresh_token: 'The refresh token is unknown, expired, used or revoked',
  forbidden: 'You are not allowed to do this',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  email_taken: 'An account with this email already exists',
  sku_taken: 'A product with this SKU already exists',
  out_of_stock: 'Not enough stock',
  conflict: 'The request conflicts with the current state',
  payment_declined: 'The payment was declined',
  idempotency_key_reused: 'The idempotency key was used with a different request',
  payload_too_large: 'The request body is too large',
  request_timeout: 'The request body did not arrive in time',
  unsupported_media_type: 'Unsupported media type',
  header_too_large: 'A request header is too large',
  quota_exceeded: 'Too many requests',
  internal_error: 'Internal error',
  provider_error: 'The payment provider failed',
  service_unavailable: 'The service is unavailable',
  gateway_timeout: 'The service did not answer in time',
  dependency_unavailable: 'A service this one depends on is unavailable',
}

export function titleForCode(code: ErrorCode): string {
  return TITLES[code]
}

/** The `type` URI of a problem: a relative reference, one page per code. */
export function typeForCode(code: ErrorCode): string {
  return `/problems/${code.replaceAll('_', '-')}`
}

export const FieldErrorSchema = z.object({ path: z.string(), message: z.string() })
export type FieldError = z.infer<typeof FieldErrorSchema>

/** RFC 9457 problem details, as every Worker answers errors. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.enum(ERROR_CODES),
  request_id: z.string(),
  errors: z.array(FieldErrorSchema).optional(),
})
export type Problem = z.infer<typeof ProblemSchema>

/** An expected failure, returned (not thrown) by services. */
export interface AppError {
  code: ErrorCode
  detail?: string
  errors?: FieldError[]
}

export type Result<T, E extends AppError = AppError> = { ok: true; value: T } | { ok: false; error: E }

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value })
export const fail = <E extends AppError>(error: E): Result<never, E> => ({ ok: false, error })
