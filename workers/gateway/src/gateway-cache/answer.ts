import { FRESH_UNTIL_HEADER, noneMatchHits } from '../../../../platform/cache/http-cache'
import { REQUEST_ID_HEADER } from '../../../../platform/http/request-id'
import type { CachedAnswer } from './store'

const directives = (header: string | null) =>
  (header ?? '')
    .split(',')
    .map((part) => part.split('=')[0]!.trim().toLowerCase())
    .filter(Boolean)

/** Request headers an answer may vary on and still be kept: Accept is in the key, Accept-Encoding never reaches a service. */
const KEYED_VARY = new Set(['accept', 'accept-encoding'])

/** Headers of one answer, never of a copy: the request id is the new request's, the length the Response's own. */
const NOT_KEPT = new Set([REQUEST_ID_HEADER.toLowerCase(), 'content-length', FRESH_UNTIL_HEADER.toLowerCase()])

/**
 * Until when a service's answer may be answered again (its FRESH_UNTIL_HEADER), or null when it
 * must not be kept: anything but a 200, not `public`, `private`/`no-store`/`no-cache`, a Vary on
 * anything but Accept(-Encoding), a Set-Cookie, or no fresh-until.
 */
export function keepUntil(response: Response): number | null {
  if (response.status !== 200 || response.headers.has('Set-Cookie')) return null
  const cacheControl = directives(response.headers.get('Cache-Control'))
  if (!cacheControl.includes('public') || cacheControl.some((name) => name === 'private' || name === 'no-store' || name === 'no-cache'))
    return null
  if (directives(response.headers.get('Vary')).some((name) => !KEYED_VARY.has(name))) return null
  const freshUntil = Number(response.headers.get(FRESH_UNTIL_HEADER) ?? NaN)
  return Number.isSafeInteger(freshUntil) ? freshUntil : null
}

/** Reads the whole answer into plain data (the caller passes a copy on, the body is consumed). */
export async function toCachedAnswer(response: Response): Promise<CachedAnswer> {
  const headers = [...response.headers].filter(([name]) => !NOT_KEPT.has(name.toLowerCase()))
  return { status: response.status, headers, etag: response.headers.get('ETag'), body: new Uint8Array(await response.arrayBuffer()) }
}

/**
 * A new Response from a kept answer: the same status, headers and body, or a bodiless 304 with
 * its headers when `If-None-Match` matches its ETag (RFC 9110 §15.4.5). The header pairs go
 * straight to the Response: a hit builds one header list, not two.
 */
export function fromCachedAnswer(answer: CachedAnswer, ifNoneMatch: string | null): Response {
  if (answer.etag !== null && noneMatchHits(ifNoneMatch, answer.etag)) {
    const headers = new Headers(answer.headers)
    headers.delete('Content-Type')
    return new Response(null, { status: 304, headers })
  }
  return new Response(answer.body, { status: answer.status, headers: answer.headers })
}
