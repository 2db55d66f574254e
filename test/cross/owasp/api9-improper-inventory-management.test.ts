import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildOpenApiDocument, openApiPath } from '../../../shared-contracts/openapi'
import { ROUTES, SERVICES } from '../../../shared-contracts/routes'
import { app as gatewayApp } from '../../../workers/gateway/src/app'
import gateway from '../../../workers/gateway/src/index'
import { app as notificationsApp } from '../../../workers/notifications/src/app'
import { app as ordersApp } from '../../../workers/orders/src/app'
import { app as paymentsApp } from '../../../workers/payments/src/app'
import { app as usersApp } from '../../../workers/users/src/app'
import type { Env } from '../../../workers/gateway/src/env'
import gatewayToml from '../../../wrangler.toml?raw'
import usersToml from '../../../workers/users/wrangler.toml?raw'
import inventoryToml from '../../../workers/inventory/wrangler.toml?raw'
import ordersToml from '../../../workers/orders/wrangler.toml?raw'
import paymentsToml from '../../../workers/payments/wrangler.toml?raw'
import notificationsToml from '../../../workers/notifications/wrangler.toml?raw'
import { adminToken, bearer, call, expectProblem, send } from '../client'

// OWASP API9:2023 Improper Inventory Management. The route table is the whole public surface:
// the OpenAPI document is generated from it, the gateway answers nothing else (no debug, internal
// or old-version paths), internal Workers have no URL of their own, and development-only
// functions do not exist elsewhere.
let admin: string
beforeAll(async () => {
  admin = await adminToken()
})

const INTERNAL_CONFIGS: Record<(typeof SERVICES)[number], string> = {
  users: usersToml,
  inventory: inventoryToml,
  orders: ordersToml,
  payments: paymentsToml,
  notifications: notificationsToml,
}

describe('the documented surface is the route table', () => {
  const document = buildOpenApiDocument()
  const documented = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
  )

  it('documents every route, and only the routes', () => {
    expect(documented.sort()).toEqual(ROUTES.map((route) => `${route.method} ${openApiPath(route.path)}`).sort())
  })

  it('documents no operation as internal, debug or test', () => {
    for (const operation of documented) expect(operation).not.toMatch(/internal|debug|test|_dev|\/v0\//i)
  })
})

/** `METHOD /path` of every handler a Hono app registered (middleware, registered for all methods, aside). */
const handlersOf = (app: { routes: Array<{ method: string; path: string }> }) => [
  ...new Set(
    app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path.replace(/\/$/, '') || '/'}`),
  ),
]

describe('no route is served that the table does not list', () => {
  const listed = new Set(ROUTES.map((route) => `${route.method} ${route.path}`))

  it("every handler of the gateway's own is a row of the route table", () => {
    expect(handlersOf(gatewayApp)).toContain('GET /health')
    expect(handlersOf(gatewayApp).filter((handler) => !listed.has(handler))).toEqual([])
  })

  // (inventory builds its cache from its bindings when its module loads, so its app cannot be
  // imported here; its paths are among those probed through the gateway below.)

  it.each([
    ['users', usersApp],
    ['orders', ordersApp],
    ['payments', paymentsApp],
    ['notifications', notificationsApp],
  ] as const)("every public handler of %s is a row; the rest are its health and the operators' /internal routes", (_, app) => {
    expect(handlersOf(app)).toContain('GET /health')
    const unlisted = handlersOf(app).filter((handler) => !listed.has(handler))
    expect(unlisted.filter((handler) => !/^(GET \/health|GET \/ready|\w+ \/internal\/.+)$/.test(handler))).toEqual([])
  })
})

describe('the gateway answers nothing outside the route table', () => {
  it.each([
    '/debug',
    '/debug/vars',
    '/admin',
    '/metrics',
    '/env',
    '/.env',
    '/config',
    '/status',
    '/ready',
    '/version',
    '/info',
    '/graphql',
    '/swagger.json',
    '/swagger-ui',
    '/api-docs',
    '/api',
    '/api/v1',
    '/api/v1/debug',
    '/api/v1/admin',
    '/api/v1/users',
    '/api/v1/users/usr_1',
    '/internal/dead-letters',
    '/internal/faults',
    '/api/v1/internal/dead-letters',
    '/users/health',
    '/__scheduled',
    '/cdn-cgi/trace',
    '/api/v1/products/../../internal/faults',
    '/%2e%2e/internal/faults',
    '/api/v1/auth/token',
    '/api/v1/auth/revoke',
    '/api/v1/admin/users',
    '/.git/config',
  ])('%s is 404, even for an admin', async (path) => {
    for (const method of ['GET', 'POST', 'PUT']) {
      const response = await send(method, path, method === 'GET' ? undefined : {}, bearer(admin))
      await expectProblem(response, 404, 'not_found')
    }
  })

  it.each([
    '/api/v0/products',
    '/api/v3/orders',
    '/api/v2/products',
    '/api/v2/users/me',
    '/api/V1/products',
    '/api/v1.1/products',
    '/api/latest/products',
    '/v1/products',
    '/api/v01/products',
  ])('unknown version %s is 404', async (path) => {
    await expectProblem(await call(path, { headers: bearer(admin) }), 404, 'not_found')
  })
})

describe('internal Workers', () => {
  it.each(SERVICES)('%s has no workers.dev or preview URL and no route of its own', (service) => {
    const toml = INTERNAL_CONFIGS[service]
    expect(toml).toMatch(/^workers_dev = false$/m)
    expect(toml).toMatch(/^preview_urls = false$/m)
    expect(toml).not.toMatch(/^\s*routes?\s*=/m)
    expect(toml).not.toMatch(/^\[\[routes\]\]/m)
  })

  it('are reached only through the gateway’s service bindings', () => {
    for (const service of SERVICES) expect(gatewayToml).toContain(`service = "${service}"`)
  })

  it('never enable fault injection in their deployed configuration, nor does the gateway', () => {
    for (const toml of [gatewayToml, ...Object.values(INTERNAL_CONFIGS)]) {
      expect(toml).not.toMatch(/^FAULT_INJECTION\s*=\s*"enabled"/m)
      expect(toml).toMatch(/^ENVIRONMENT = "production"$/m)
    }
  })
})

describe('development-only functions', () => {
  async function putFault(bindings: Partial<Env>) {
    const request = new Request('https://api.example/api/v1/admin/faults/orders', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '2001:db8::9', ...bearer(admin) },
      body: JSON.stringify({ mode: 'none', rate: 0 }),
    })
    const ctx = createExecutionContext()
    const response = await gateway.fetch(request, { ...env, ...bindings }, ctx)
    await waitOnExecutionContext(ctx)
    return response
  }

  it.each([undefined, '', 'disabled', 'true', 'ENABLED'])(
    'the fault injection route is 404 when FAULT_INJECTION is %j',
    async (setting) => {
      await expectProblem(await putFault({ FAULT_INJECTION: setting }), 404, 'not_found')
    },
  )

  it('exists only where FAULT_INJECTION is "enabled" (local development)', async () => {
    expect((await putFault({ FAULT_INJECTION: 'enabled' })).status).toBe(200)
  })
})
