import { describe, expect, it } from 'vitest'
import { problemResponse } from '../platform/errors/problem'
import { ERROR_CODES, ProblemSchema, statusForCode, titleForCode, typeForCode, type ErrorCode } from './errors'

/** The public mapping: renaming a code or changing its status breaks clients. */
const EXPECTED: Record<ErrorCode, number> = {
  validation_failed: 400,
  malformed_json: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_refresh_token: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  email_taken: 409,
  sku_taken: 409,
  out_of_stock: 409,
  conflict: 409,
  payment_declined: 402,
  idempotency_key_reused: 422,
  payload_too_large: 413,
  request_timeout: 408,
  unsupported_media_type: 415,
  header_too_large: 431,
  quota_exceeded: 429,
  internal_error: 500,
  provider_error: 502,
  service_unavailable: 503,
  gateway_timeout: 504,
  dependency_unavailable: 503,
}

/** Codes a client causes by what it sends: never a 5xx. */
const BAD_INPUT: ErrorCode[] = [
  'validation_failed',
  'malformed_json',
  'unauthenticated',
  'invalid_credentials',
  'invalid_refresh_token',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'email_taken',
  'payload_too_large',
  'request_timeout',
  'unsupported_media_type',
  'header_too_large',
  'quota_exceeded',
]

describe('statusForCode', () => {
  it.each(ERROR_CODES)('maps %s to a 4xx or 5xx status', (code) => {
    const status = statusForCode(code)
    expect(Number.isInteger(status)).toBe(true)
    expect(status).toBeGreaterThanOrEqual(400)
    expect(status).toBeLessThan(600)
  })

  it.each(BAD_INPUT)('answers bad input %s with a 4xx', (code) => {
    const status = statusForCode(code)
    expect(status).toBeGreaterThanOrEqual(400)
    expect(status).toBeLessThan(500)
  })

  it('keeps the published status of every code', () => {
    expect(Object.fromEntries(ERROR_CODES.map((code) => [code, statusForCode(code)]))).toEqual(EXPECTED)
  })
})

describe('titles and types', () => {
  it.each(ERROR_CODES)('gives %s a title and a distinct problem type', (code) => {
    expect(titleForCode(code).length).toBeGreaterThan(0)
    expect(typeForCode(code)).toMatch(/^\/problems\/[a-z-]+$/)
  })

  it("gives quota_exceeded (the rate limiter's 429) the quota-exceeded type", () => {
    expect(statusForCode('quota_exceeded')).toBe(429)
    expect(typeForCode('quota_exceeded')).toBe('/problems/quota-exceeded')
  })

  it('never gives two codes the same type', () => {
    const types = ERROR_CODES.map(typeForCode)
    expect(new Set(types).size).toBe(types.length)
  })
})

describe('problemResponse', () => {
  it('answers RFC 9457 problem+json carrying the code, status and request id', async () => {
    const response = problemResponse({ code: 'email_taken', detail: 'Try logging in.' }, 'req-12345678')
    expect(response.status).toBe(409)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    const body = ProblemSchema.parse(await response.json())
    expect(body).toEqual({
      type: '/problems/email-taken',
      title: titleForCode('email_taken'),
      status: 409,
      code: 'email_taken',
      request_id: 'req-12345678',
      detail: 'Try logging in.',
    })
  })

  it('keeps extra headers such as a challenge, but never lets them override the content type', () => {
    const response = problemResponse({ code: 'unauthenticated' }, 'req-12345678', {
      'WWW-Authenticate': 'Bearer',
      'Content-Type': 'text/html',
    })
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
  })
})
