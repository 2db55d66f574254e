import { beforeAll, describe, expect, it } from 'vitest'
import { ROUTES } from '../../../shared-contracts/routes'
import { adminToken, bearer, call, expectProblem, PASSWORD, send, signUp, uniqueIp, type SignedUp } from '../client'

// OWASP API8:2023 Security Misconfiguration. Whatever the answer — success, refusal, or a
// failure deep in a service — it carries the hardening headers, speaks problem+json when it is an
// error, and gives away nothing internal; CORS admits only the configured origins.
let customer: SignedUp
let admin: string

beforeAll(async () => {
  ;[customer, admin] = await Promise.all([signUp('Config'), adminToken()])
})

const HARDENING: Record<string, RegExp> = {
  'X-Content-Type-Options': /^nosniff$/,
  'Strict-Transport-Security': /^max-age=\d{8,}; includeSubDomains$/,
  'Content-Security-Policy': /default-src 'none'.*frame-ancestors 'none'/,
  'X-Frame-Options': /^DENY$/,
  'Referrer-Policy': /^no-referrer$/,
  'Cross-Origin-Resource-Policy': /^same-origin$/,
  'X-Request-Id': /^[A-Za-z0-9._-]{8,128}$/,
}
const LEAKY_HEADERS = ['Server', 'X-Powered-By', 'X-AspNet-Version', 'X-Gateway-Credential', 'X-Internal-Service', 'CF-Worker']

function expectHardened(label: string, response: Response) {
  for (const [name, pattern] of Object.entries(HARDENING)) expect(response.headers.get(name), `${label}: ${name}`).toMatch(pattern)
  for (const name of LEAKY_HEADERS) expect(response.headers.has(name), `${label}: ${name}`).toBe(false)
}

/** Nothing a client should not see: stack frames, file paths, SQL, runtime or library names. */
const INTERNALS =
  /\bat \S+ \(|\.ts:\d+|\.js:\d+|node_modules|workerd|SQLITE|D1_ERROR|SELECT |INSERT |TypeError|ReferenceError|Error: |\bhono\b|drizzle|zod/i

async function expectCleanError(label: string, response: Response) {
  expectHardened(label, response)
  expect(response.headers.get('Content-Type'), label).toBe('application/problem+json')
  const text = await response.text()
  expect(text, label).not.toMatch(INTERNALS)
  const body = JSON.parse(text) as Record<string, unknown>
  expect(
    Object.keys(body).every((key) => ['type', 'title', 'status', 'detail', 'code', 'request_id', 'errors'].includes(key)),
    label,
  ).toBe(true)
}

describe('every kind of answer is hardened', () => {
  it('successes, from the gateway and from each service', async () => {
    for (const [label, response] of [
      ['health', await call('/health')],
      ['jwks', await call('/.well-known/jwks.json')],
      ['users', await call('/api/v1/users/me', { headers: bearer(customer.token) })],
      ['inventory', await call('/api/v1/products')],
      ['orders', await call('/api/v1/orders', { headers: bearer(customer.token) })],
      ['notifications', await call('/api/v1/notifications', { headers: bearer(customer.token) })],
      ['admin', await call('/api/v1/admin/circuit-breakers', { headers: bearer(admin) })],
    ] as const) {
      expect(response.status, label).toBe(200)
      expectHardened(label, response)
    }
  })

  it('every refusal, from every layer, is clean problem+json', async () => {
    const ip = uniqueIp()
    const exhaust = Array.from({ length: 11 }, () =>
      send('POST', '/api/v1/auth/login', { email: 'x@example.com', password: 'wrong wrong' }, { 'CF-Connecting-IP': ip }),
    )
    const limited = (await Promise.all(exhaust)).find((response) => response.status === 429)!
    const cases: Array<[string, Response]> = [
      ['400 malformed JSON', await send('POST', '/api/v1/auth/register', '{"email":')],
      ['400 validation', await send('POST', '/api/v1/auth/register', { email: 'nope', password: 1 })],
      ['401 no token', await call('/api/v1/orders')],
      ['401 bad token', await call('/api/v1/orders', { headers: bearer('a.b.c') })],
      ['401 wrong password', await send('POST', '/api/v1/auth/login', { email: customer.email, password: `${PASSWORD}x` })],
      ['403 customer on admin', await call('/api/v1/admin/sagas', { headers: bearer(customer.token) })],
      ['404 unknown path', await call('/api/v1/secrets')],
      ['404 unknown product', await call('/api/v1/products/prd_missing')],
      ['404 unknown order', await call('/api/v1/orders/ord_missing', { headers: bearer(customer.token) })],
      ['405 wrong method', await call('/api/v1/products', { method: 'DELETE' })],
      ['405 TRACE', await call('/health', { method: 'TRACE' })],
      ['405 unknown method', await call('/health', { method: 'PROPFIND' })],
      ['409 duplicate email', await send('POST', '/api/v1/auth/register', { email: customer.email, password: PASSWORD, name: 'Dup' })],
      ['413 body', await send('POST', '/api/v1/auth/register', `"${'a'.repeat(1024 * 1024 + 1)}"`)],
      [
        '415 media type',
        await call('/api/v1/auth/register', {
          method: 'POST',
          body: 'a=b',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
      ],
      ['429 rate limit', limited],
      ['431 headers', await call('/health', { headers: { 'X-Big': 'a'.repeat(40_000) } })],
    ]
    for (const [label, response] of cases) {
      expect(response.status, label).toBe(Number(label.slice(0, 3)))
      await expectCleanError(label, response)
    }
  })

  it('answers TRACE and unknown methods with 405, never echoing the request', async () => {
    const response = await call('/api/v1/users/me', { method: 'TRACE', headers: { ...bearer(customer.token), 'X-Echo': 'secret-marker' } })
    await expectProblem(response, 405, 'method_not_allowed')
    expect(JSON.stringify(Object.fromEntries(response.headers))).not.toContain('secret-marker')
  })

  it('a failure inside a service is a 500 with a request id and nothing else', async () => {
    const fault = (mode: string, rate: number) => send('PUT', '/api/v1/admin/faults/notifications', { mode, rate }, bearer(admin))
    expect((await fault('error', 1)).status).toBe(200)
    try {
      const response = await call('/api/v1/notifications', { headers: bearer(customer.token) })
      expect(response.status).toBe(500)
      await expectCleanError('500', response)
    } finally {
      expect((await fault('none', 0)).status).toBe(200)
    }
  })
})

describe('CORS', () => {
  const ALLOWED = 'http://localhost:3000' // CORS_ALLOWED_ORIGINS in development; empty in production (wrangler.toml)
  const preflight = (origin: string, path: string) =>
    call(path, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'Authorization, Content-Type' },
    })

  it.each([...new Set(ROUTES.map((route) => route.path))])(
    'never grants an unknown origin on %s, and never with credentials',
    async (path) => {
      const concrete = path.replace(/:(\w+)/g, 'x')
      for (const origin of ['https://evil.example', 'null', `${ALLOWED}.evil.example`, 'https://localhost:3000']) {
        const response = await preflight(origin, concrete)
        expect(response.headers.has('Access-Control-Allow-Origin')).toBe(false)
      }
      const allowed = await preflight(ALLOWED, concrete)
      expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED)
      expect(allowed.headers.has('Access-Control-Allow-Credentials')).toBe(false)
      expect(allowed.headers.get('Access-Control-Allow-Methods')).not.toMatch(/TRACE|CONNECT|\*/)
    },
  )
})
