import type { MiddlewareHandler } from 'hono'
import { problem } from '../../../../platform/errors/problem'

/** Far above what a client of this API sends (a bearer token is at most 4 KiB), far below what it would cost to parse. */
export const MAX_HEADER_COUNT = 100
export const MAX_HEADER_BYTES = 32 * 1024

export interface HeaderLimitOptions {
  maxCount?: number
  maxBytes?: number
}

/** Whether a request's headers are at most `maxCount` and `maxBytes` in total (names and values). */
export function withinHeaderLimit(headers: Headers, maxCount = MAX_HEADER_COUNT, maxBytes = MAX_HEADER_BYTES): boolean {
  let count = 0
  let bytes = 0
  // forEach, not the iterator: no [name, value] pair is built per header.
  headers.forEach((value, name) => {
    count += 1
    bytes += name.length + value.length
  })
  return count <= maxCount && bytes <= maxBytes
}

/**
 * Refuses a request whose headers are too many or too large in total (names and values) with
 * 431, before anything reads them (OWASP API4: unrestricted resource consumption).
 */
export function headerLimit({ maxCount = MAX_HEADER_COUNT, maxBytes = MAX_HEADER_BYTES }: HeaderLimitOptions = {}): MiddlewareHandler {
  if (!(maxCount > 0 && maxBytes > 0)) throw new Error('header limits must be positive')
  return async function headerLimit(c, next) {
    if (!withinHeaderLimit(c.req.raw.headers, maxCount, maxBytes)) {
      return problem(c, { code: 'header_too_large', detail: `Send at most ${maxCount} headers and ${maxBytes} bytes of them.` })
    }
    await next()
  }
}
