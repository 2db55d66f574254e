import type { Role } from './users'

/** The internal Workers the gateway can forward to. */
export const SERVICES = ['users', 'inventory', 'orders', 'payments', 'notifications'] as const
export type ServiceName = (typeof SERVICES)[number]
/** Where a route is served: an internal Worker, or the gateway itself. */
export type RouteTarget = ServiceName | 'gateway'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Who may call a route: anyone, or a signed-in principal holding one of the roles. */
export type Access = { public: true } | { roles: readonly Role[] }

/** The gateway's rate limit policies; their limits are configuration. */
export type RateLimitPolicyName = 'auth' | 'user' | 'anonymous'

export interface Route {
  method: HttpMethod
  /** Path pattern; `:name` matches one non-empty segment. */
  path: string
  service: RouteTarget
  access: Access
  /**
   * `auth`: counted per client IP under the tight credential-endpoint policy, whoever calls.
   * Absent: per user when signed in (`user`), else per client IP (`anonymous`).
   */
  rateLimit?: 'auth'
  /** When the rate limiter cannot be reached: let the request through (default) or answer 503. */
  limiter?: 'fail-open' | 'fail-closed'
  /** A route replaced by a newer version: the gateway announces it on every answer, the spec marks it deprecated. */
  deprecation?: Deprecation
}

/**
 * When and by what a route is replaced. The gateway sends `Deprecation` (RFC 9745),
 * `Sunset` (RFC 8594) and `Link: <successor>; rel="successor-version"` from these facts.
 */
export interface Deprecation {
  /** The successor's path (a row of this table). */
  successor: string
  /** RFC 3339: since when the route is deprecated. */
  since: string
  /** RFC 3339: after this the route may answer 404. */
  sunset: string
}

const PUBLIC: Access = { public: true }
const SIGNED_IN: Access = { roles: ['customer', 'admin'] }
const ADMIN: Access = { roles: ['admin'] }
/** Password guessing and sign-up floods: per IP, and never unlimited because the limiter is down. */
const CREDENTIALS = { rateLimit: 'auth', limiter: 'fail-closed' } as const
/** v1 order lists, replaced by v2's money objects; docs/api.md, "Versioning and deprecation", states the policy. */
const ORDERS_V1_DEPRECATION: Deprecation = { successor: '/api/v2/orders', since: '2026-01-01T00:00:00Z', sunset: '2027-07-01T00:00:00Z' }

/**
 * The gateway's route table and authorization policy in one place. Deny by default:
 * a request that matches no row is never forwarded.
 */
export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/health', service: 'gateway', access: PUBLIC },
  // The API reference: the OpenAPI document and the page that renders it (with its own assets).
  { method: 'GET', path: '/openapi.json', service: 'gateway', access: PUBLIC },
  { method: 'GET', path: '/docs', service: 'gateway', access: PUBLIC },
  { method: 'GET', path: '/docs/:asset', service: 'gateway', access: PUBLIC },
  { method: 'GET', path: '/.well-known/jwks.json', service: 'users', access: PUBLIC },
  { method: 'POST', path: '/api/v1/auth/register', service: 'users', access: PUBLIC, ...CREDENTIALS },
  { method: 'POST', path: '/api/v1/auth/login', service: 'users', access: PUBLIC, ...CREDENTIALS },
  // Account lifecycle (docs/adr/0027): a refresh token is a credential, and so is the password
  // that password change and deletion check again: all counted like login.
  { method: 'POST', path: '/api/v1/auth/refresh', service: 'users', access: PUBLIC, ...CREDENTIALS },
  { method: 'POST', path: '/api/v1/auth/logout', service: 'users', access: SIGNED_IN },
  { method: 'GET', path: '/api/v1/users/me', service: 'users', access: SIGNED_IN },
  { method: 'PATCH', path: '/api/v1/users/me', service: 'users', access: SIGNED_IN },
  { method: 'DELETE', path: '/api/v1/users/me', service: 'users', access: SIGNED_IN, ...CREDENTIALS },
  { method: 'POST', path: '/api/v1/users/me/password', service: 'users', access: SIGNED_IN, ...CREDENTIALS },
  { method: 'GET', path: '/api/v1/admin/users/:id', service: 'users', access: ADMIN },
  { method: 'GET', path: '/api/v1/products', service: 'inventory', access: PUBLIC },
  { method: 'POST', path: '/api/v1/products', service: 'inventory', access: ADMIN },
  { method: 'GET', path: '/api/v1/products/:id', service: 'inventory', access: PUBLIC },
  { method: 'PATCH', path: '/api/v1/products/:id', service: 'inventory', access: ADMIN },
  { method: 'GET', path: '/api/v1/inventory/:product_id', service: 'inventory', access: ADMIN },
  { method: 'PUT', path: '/api/v1/inventory/:product_id', service: 'inventory', access: ADMIN },
  // Admins see any order's payments; the payments service shows a customer only their own.
  { method: 'POST', path: '/api/v1/orders', service: 'orders', access: SIGNED_IN },
  { method: 'GET', path: '/api/v1/orders', service: 'orders', access: SIGNED_IN, deprecation: ORDERS_V1_DEPRECATION },
  { method: 'GET', path: '/api/v1/orders/:id', service: 'orders', access: SIGNED_IN },
  { method: 'GET', path: '/api/v1/orders/:id/saga', service: 'orders', access: SIGNED_IN },
  { method: 'GET', path: '/api/v2/orders', service: 'orders', access: SIGNED_IN },
  { method: 'GET', path: '/api/v1/admin/sagas', service: 'orders', access: ADMIN },
  { method: 'GET', path: '/api/v1/payments', service: 'payments', access: SIGNED_IN },
  { method: 'GET', path: '/api/v1/notifications', service: 'notifications', access: SIGNED_IN },
  { method: 'GET', path: '/api/v1/admin/dead-letters', service: 'gateway', access: ADMIN },
  { method: 'POST', path: '/api/v1/admin/dead-letters/:id/replay', service: 'gateway', access: ADMIN },
  { method: 'GET', path: '/api/v1/admin/circuit-breakers', service: 'gateway', access: ADMIN },
  // Recovery: re-publish retained events (each producer replays its outbox), recompute the orders read model.
  { method: 'POST', path: '/api/v1/admin/events/replay', service: 'gateway', access: ADMIN },
  { method: 'POST', path: '/api/v1/admin/read-models/orders/rebuild', service: 'gateway', access: ADMIN },
  // Answers 404 unless FAULT_INJECTION is enabled (local development only).
  { method: 'PUT', path: '/api/v1/admin/faults/:service', service: 'gateway', access: ADMIN },
]

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: HttpMethod[] }
  | { kind: 'not_found' }

interface CompiledRoute {
  route: Route
  segments: string[]
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0)
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null
  const params: Record<string, string> = {}
  for (const [index, part] of pattern.entries()) {
    const value = actual[index] as string
    if (part.startsWith(':')) params[part.slice(1)] = value
    else if (part !== value) return null
  }
  return params
}

/** Builds a matcher over a route table; HEAD is answered like GET. */
export function createRouteMatcher(routes: readonly Route[]): (method: string, path: string) => RouteMatch {
  const compiled: CompiledRoute[] = routes.map((route) => ({ route, segments: splitPath(route.path) }))
  return function matchRoute(method, path) {
    const actual = splitPath(path)
    const wanted = method === 'HEAD' ? 'GET' : method
    const allow: HttpMethod[] = []
    for (const { route, segments } of compiled) {
      const params = matchSegments(segments, actual)
      if (params === null) continue
      if (route.method === wanted) return { kind: 'found', route, params }
      allow.push(route.method)
    }
    return allow.length > 0 ? { kind: 'method_not_allowed', allow } : { kind: 'not_found' }
  }
}

/** Whether a principal with these roles (or none, when anonymous) may call the route. */
export function isAllowed(access: Access, roles: readonly Role[] | null): boolean {
  if ('public' in access) return true
  if (roles === null) return false
  return access.roles.some((role) => roles.includes(role))
}
