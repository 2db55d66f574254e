import type { MiddlewareHandler } from 'hono'
import type { Deprecation, Route } from '../../../../shared-contracts/routes'
import type { GatewayEnv } from '../services'

/** The headers announcing a deprecated route: `Deprecation` (RFC 9745), `Sunset` (RFC 8594), `Link`. */
export function deprecationHeadersOf({ since, sunset, successor }: Deprecation): Record<string, string> {
  const [sinceMs, sunsetMs] = [Date.parse(since), Date.parse(sunset)]
  if (Number.isNaN(sinceMs) || Number.isNaN(sunsetMs) || sunsetMs <= sinceMs) throw new Error(`Bad deprecation dates: ${since} → ${sunset}`)
  return {
    Deprecation: `@${Math.floor(sinceMs / 1_000)}`,
    Sunset: new Date(sunsetMs).toUTCString(),
    Link: `<${successor}>; rel="successor-version", </docs>; rel="deprecation"; type="text/html"`,
  }
}

/** The deprecation headers of each deprecated route of the table (dates checked now); undefined for a route that is not. */
export function deprecationHeaders(routes: readonly Route[]): (route: Route | undefined) => Record<string, string> | undefined {
  const headersOf = new Map(
    routes.flatMap((route) => (route.deprecation ? [[route, deprecationHeadersOf(route.deprecation)] as const] : [])),
  )
  return (route) => (route ? headersOf.get(route) : undefined)
}

/**
 * Every answer of a route the table marks deprecated carries the headers of its deprecation,
 * so clients learn of the successor before the sunset. Dates are checked at creation.
 */
export function deprecation(routes: readonly Route[]): MiddlewareHandler<GatewayEnv> {
  const headersOf = deprecationHeaders(routes)
  return async function deprecation(c, next) {
    await next()
    const headers = headersOf(c.get('route'))
    if (headers) for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value)
  }
}
