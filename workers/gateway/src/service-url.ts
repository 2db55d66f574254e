/** A path with no empty segment (no `//`, no trailing `/`) is already canonical. */
const NOT_CANONICAL = /\/\/|.\/$/

function internalUrl(service: string, path: string, search: string): string {
  const canonical = path.startsWith('/') && !NOT_CANONICAL.test(path) ? path : `/${path.split('/').filter(Boolean).join('/')}`
  return `https://${service}.internal${canonical}${search}`
}

/**
 * The URL a request goes to on its service: the canonical path (no empty segments) and the query
 * of the request's URL. A Request's `url` is always serialised (scheme, host, path, query), so
 * its path and query are cut from it as `URL` would give them, without parsing it again.
 */
export function serviceUrl(service: string, requestUrl: string): string {
  const hash = requestUrl.indexOf('#')
  const url = hash === -1 ? requestUrl : requestUrl.slice(0, hash)
  const start = url.indexOf('/', url.indexOf('//') + 2)
  if (start === -1) return internalUrl(service, '/', '')
  const query = url.indexOf('?', start)
  if (query === -1) return internalUrl(service, url.slice(start), '')
  // `URL` gives an empty query ("…?") as no search at all.
  return internalUrl(service, url.slice(start, query), query === url.length - 1 ? '' : url.slice(query))
}
