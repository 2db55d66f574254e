import { describe, expect, it } from 'vitest'
import { createRouteMatcher, isAllowed, ROUTES, type RoutePolicy } from './routes'

const TABLE: readonly RoutePolicy[] = [
  { method: 'GET', path: '/api/v1/products', service: 'users', access: { public: true } },
  { method: 'GET', path: '/api/v1/products/:id', service: 'users', access: { public: true } },
  { method: 'PATCH', path: '/api/v1/products/:id', service: 'users', access: { roles: ['admin'] } },
  { method: 'GET', path: '/api/v1/orders/:order_id/saga', service: 'users', access: { roles: ['customer'] } },
]

describe('createRouteMatcher', () => {
  const match = createRouteMatcher(TABLE)

  it('matches a static path exactly', () => {
    const found = match('GET', '/api/v1/products')
    expect(found).toEqual({ kind: 'found', route: TABLE[0], params: {} })
  })

  it('captures a :param segment', () => {
    expect(match('GET', '/api/v1/products/p_123')).toEqual({ kind: 'found', route: TABLE[1], params: { id: 'p_123' } })
    expect(match('GET', '/api/v1/orders/o-9/saga')).toMatchObject({ kind: 'found', params: { order_id: 'o-9' } })
  })

  it('does not let a :param swallow several segments or an empty one', () => {
    expect(match('GET', '/api/v1/products/a/b')).toEqual({ kind: 'not_found' })
    expect(match('GET', '/api/v1/orders//saga')).toEqual({ kind: 'not_found' })
  })

  it('treats a trailing slash like its absence', () => {
    expect(match('GET', '/api/v1/products/')).toMatchObject({ kind: 'found', route: TABLE[0] })
    expect(match('GET', '/api/v1/products/p_1/')).toMatchObject({ kind: 'found', params: { id: 'p_1' } })
  })

  it('answers not_found for an unknown path, a prefix, or an extension of a known one', () => {
    expect(match('GET', '/api/v1/nothing')).toEqual({ kind: 'not_found' })
    expect(match('GET', '/api/v1')).toEqual({ kind: 'not_found' })
    expect(match('GET', '/')).toEqual({ kind: 'not_found' })
    expect(match('GET', '/api/v1/orders/o-9/saga/extra')).toEqual({ kind: 'not_found' })
  })

  it('is case-sensitive', () => {
    expect(match('GET', '/API/v1/products')).toEqual({ kind: 'not_found' })
  })

  it('answers method_not_allowed with every method the path allows', () => {
    expect(match('DELETE', '/api/v1/products/p_1')).toEqual({ kind: 'method_not_allowed', allow: ['GET', 'PATCH'] })
    expect(match('POST', '/api/v1/products')).toEqual({ kind: 'method_not_allowed', allow: ['GET'] })
  })

  it('answers HEAD like GET', () => {
    expect(match('HEAD', '/api/v1/products/p_1')).toMatchObject({ kind: 'found', route: TABLE[1] })
  })

  it('does not treat an unknown or lowercase method as GET', () => {
    expect(match('get', '/api/v1/products')).toMatchObject({ kind: 'method_not_allowed' })
    expect(match('TRACE', '/api/v1/products')).toMatchObject({ kind: 'method_not_allowed' })
  })
})

describe('the route table', () => {
  const match = createRouteMatcher(ROUTES)

  it('allows GET, PATCH and DELETE on /api/v1/users/me', () => {
    expect(match('PUT', '/api/v1/users/me')).toEqual({ kind: 'method_not_allowed', allow: ['GET', 'PATCH', 'DELETE'] })
  })

  it('has no duplicate method and path rows', () => {
    const keys = ROUTES.map((route) => `${route.method} ${route.path}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('keeps the profile routes for signed-in users and the auth routes public', () => {
    const access = (method: string, path: string) => {
      const found = match(method, path)
      return found.kind === 'found' ? found.route.access : null
    }
    expect(access('GET', '/api/v1/users/me')).toEqual({ roles: ['customer', 'admin'] })
    expect(access('PATCH', '/api/v1/users/me')).toEqual({ roles: ['customer', 'admin'] })
    expect(access('POST', '/api/v1/auth/login')).toEqual({ public: true })
    expect(access('POST', '/api/v1/auth/register')).toEqual({ public: true })
    expect(access('POST', '/api/v1/auth/refresh')).toEqual({ public: true })
    expect(access('POST', '/api/v1/auth/logout')).toEqual({ roles: ['customer', 'admin'] })
    expect(access('DELETE', '/api/v1/users/me')).toEqual({ roles: ['customer', 'admin'] })
    expect(access('POST', '/api/v1/users/me/password')).toEqual({ roles: ['customer', 'admin'] })
    expect(access('GET', '/api/v1/admin/users/:id')).toEqual({ roles: ['admin'] })
  })

  it('counts refresh, password change and deletion like login: per IP, never unlimited', () => {
    const credential = (method: string, path: string) => ROUTES.find((route) => route.method === method && route.path === path)
    for (const [method, path] of [
      ['POST', '/api/v1/auth/login'],
      ['POST', '/api/v1/auth/refresh'],
      ['POST', '/api/v1/users/me/password'],
      ['DELETE', '/api/v1/users/me'],
    ] as const) {
      expect(credential(method, path), `${method} ${path}`).toMatchObject({ rateLimit: 'auth', limiter: 'fail-closed' })
    }
  })
})

describe('isAllowed', () => {
  it('lets anyone, signed in or not, call a public route', () => {
    expect(isAllowed({ public: true }, null)).toBe(true)
    expect(isAllowed({ public: true }, ['customer'])).toBe(true)
  })

  it('refuses an anonymous caller on a role route', () => {
    expect(isAllowed({ roles: ['customer', 'admin'] }, null)).toBe(false)
  })

  it('allows a principal holding one of the roles', () => {
    expect(isAllowed({ roles: ['customer', 'admin'] }, ['customer'])).toBe(true)
    expect(isAllowed({ roles: ['admin'] }, ['customer', 'admin'])).toBe(true)
  })

  it('refuses a principal holding none of the roles', () => {
    expect(isAllowed({ roles: ['admin'] }, ['customer'])).toBe(false)
    expect(isAllowed({ roles: ['customer'] }, [])).toBe(false)
  })
})
