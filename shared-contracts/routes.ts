import type { Role } from './users'
import { adminListSagas, getOrder, getOrderSaga, listOrders, listOrdersV2, placeOrder } from './api/orders'
import { changePassword, adminGetUser, deleteMe, getMe, updateMe } from './api/users'
import { createProduct, getProduct, getStock, listProducts, setStock, updateProduct } from './api/catalog'
import { docsAsset, docsPage, health, jwks, openApiDocument } from './api/system'
import { listCircuitBreakers, listDeadLetters, rebuildOrdersReadModel, replayDeadLetter, replayEvents, setFault } from './api/admin'
import { listNotifications } from './api/notifications'
import { listPayments } from './api/payments'
import { login, logout, refresh, register } from './api/auth'
import type { Access, HttpMethod, Route, RoutePolicy } from './route'

export { SERVICES } from './route'
export type { Access, Deprecation, HttpMethod, RateLimitPolicyName, Route, RoutePolicy, RouteTarget, ServiceName } from './route'

/**
 * Every public route (each declared once in ./api/*), the gateway's route table and authorization
 * policy in one list. Deny by default: a request that matches no route is never forwarded.
 */
export const ROUTES: readonly Route[] = [
  health,
  openApiDocument,
  docsPage,
  docsAsset,
  jwks,
  register,
  login,
  refresh,
  logout,
  getMe,
  updateMe,
  deleteMe,
  changePassword,
  adminGetUser,
  listProducts,
  createProduct,
  getProduct,
  updateProduct,
  getStock,
  setStock,
  placeOrder,
  listOrders,
  getOrder,
  getOrderSaga,
  listOrdersV2,
  adminListSagas,
  listPayments,
  listNotifications,
  listDeadLetters,
  replayDeadLetter,
  listCircuitBreakers,
  replayEvents,
  rebuildOrdersReadModel,
  setFault,
]

export type RouteMatch<R extends RoutePolicy = Route> =
  | { kind: 'found'; route: R; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: HttpMethod[] }
  | { kind: 'not_found' }

interface CompiledRoute<R> {
  route: R
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
export function createRouteMatcher<R extends RoutePolicy>(routes: readonly R[]): (method: string, path: string) => RouteMatch<R> {
  const compiled: CompiledRoute<R>[] = routes.map((route) => ({ route, segments: splitPath(route.path) }))
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
