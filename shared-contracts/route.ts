import type { z } from 'zod'
import type { ErrorCode } from './errors'
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

/**
 * When and by what a route is replaced. The gateway sends `Deprecation` (RFC 9745),
 * `Sunset` (RFC 8594) and `Link: <successor>; rel="successor-version"` from these facts.
 */
export interface Deprecation {
  /** The successor's path (another route). */
  successor: string
  /** RFC 3339: since when the route is deprecated. */
  since: string
  /** RFC 3339: after this the route may answer 404. */
  sunset: string
}

/** What the gateway's policy reads of a route: where it goes, who may call it, how it is counted. */
export interface RoutePolicy {
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

export type Tag = 'System' | 'Auth' | 'Users' | 'Catalog' | 'Orders' | 'Payments' | 'Notifications' | 'Admin'

/** A zod object over string inputs: path parameters, query parameters or headers. */
export type StringFields = z.ZodObject

/** The success answer of a route. */
export interface Success {
  status: 200 | 201 | 202 | 204
  /** A JSON body; or, without one, the content types of a body that is not JSON (none: no body). */
  schema?: z.ZodType
  contentTypes?: readonly string[]
  example?: unknown
  /** The answer carries `Location` (the created resource). */
  location?: boolean
}

/**
 * One public route, said once: the gateway's policy, the OpenAPI document and the Worker's
 * request validation (platform/http/validated.ts) all read it.
 */
export interface Route extends RoutePolicy {
  summary: string
  description?: string
  tag: Tag
  /** Path parameters; a value that does not parse names no resource (404). */
  params?: StringFields
  /** Query parameters, exactly as the service validates them (unknown ones are refused when strict). */
  query?: StringFields
  /** Request headers the route needs, by their canonical names. */
  headers?: StringFields
  /** The JSON request body. */
  body?: { schema: z.ZodType; example: unknown }
  /** Answers an `ETag` and honours `If-None-Match` with a 304. */
  conditional?: boolean
  success: Success
  /** Answers other than the success that are not problems (a degraded health report). */
  others?: readonly { status: number; description: string; schema: z.ZodType; example: unknown }[]
  /** Expected failures of this route, beyond those every route of its kind can answer (openapi-errors.ts). */
  errors?: readonly ErrorCode[]
}

/** Declares a route; the value keeps its exact type, so handlers see its schemas' types. */
export function route<const R extends Route>(definition: R): R {
  return definition
}

export const PUBLIC: Access = { public: true }
export const SIGNED_IN: Access = { roles: ['customer', 'admin'] }
export const ADMIN: Access = { roles: ['admin'] }
/** Password guessing and sign-up floods: per IP, and never unlimited because the limiter is down. */
export const CREDENTIALS = { rateLimit: 'auth', limiter: 'fail-closed' } as const
