import { beforeAll, describe, expect, it } from 'vitest'
import { bearer, call, expectProblem, PASSWORD, send, signUp, uniqueEmail, type SignedUp } from './client'

const MIB = 1024 * 1024
const REGISTER = '/api/v1/auth/register'

/** A stream of `total` bytes with no declared length, in 64 KiB chunks. */
function streamOf(total: number): ReadableStream<Uint8Array> {
  let sent = 0
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close()
      const size = Math.min(64 * 1024, total - sent)
      controller.enqueue(new Uint8Array(size).fill(0x20))
      sent += size
    },
  })
}

/** A register body of exactly `size` bytes: valid JSON whose name is far too long. */
function registerBodyOf(size: number): string {
  const prefix = `${JSON.stringify({ email: uniqueEmail(), password: PASSWORD }).slice(0, -1)},"name":"`
  return `${prefix + 'x'.repeat(size - prefix.length - 2)}"}`
}

describe('request bodies', () => {
  it('answers malformed JSON with 400 malformed_json', async () => {
    await expectProblem(await send('POST', REGISTER, '{"email": "a@example.com",'), 400, 'malformed_json')
  })

  it('answers a declared body over 1 MiB with 413', async () => {
    const body = new Uint8Array(MIB + 1).fill(0x20)
    const response = await call(REGISTER, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } })
    await expectProblem(response, 413, 'payload_too_large')
  })

  it('answers a streamed body over 1 MiB, sent without a length, with 413', async () => {
    const response = await call(REGISTER, { method: 'POST', body: streamOf(MIB + 1), headers: { 'Content-Type': 'application/json' } })
    await expectProblem(response, 413, 'payload_too_large')
  })

  it('lets a body of exactly 1 MiB through to the service', async () => {
    const body = registerBodyOf(MIB)
    expect(new TextEncoder().encode(body).length).toBe(MIB)
    await expectProblem(await send('POST', REGISTER, body), 400, 'validation_failed')
  })

  it.each([
    ['text/plain', { 'Content-Type': 'text/plain' }],
    ['form data', { 'Content-Type': 'application/x-www-form-urlencoded' }],
    ['text/json', { 'Content-Type': 'text/json' }],
    ['application/jsonx', { 'Content-Type': 'application/jsonx' }],
  ])('answers a body sent as %s with 415', async (_, headers) => {
    const body = JSON.stringify({ email: uniqueEmail(), password: PASSWORD, name: 'Ada' })
    await expectProblem(await call(REGISTER, { method: 'POST', body, headers }), 415, 'unsupported_media_type')
  })

  it('answers a streamed body without any Content-Type with 415', async () => {
    await expectProblem(await call(REGISTER, { method: 'POST', body: streamOf(16) }), 415, 'unsupported_media_type')
  })
})

describe('routing', () => {
  it.each(['/nothing', '/api/v1/users', '/api/v1/users/me/extra', '/ready', '/api/v2/users/me'])(
    'answers %s with 404 and never forwards it',
    async (path) => {
      await expectProblem(await call(path), 404, 'not_found')
    },
  )

  it('answers a wrong method on a known path with 405 and Allow', async () => {
    const response = await call('/api/v1/users/me', { method: 'PUT' })
    await expectProblem(response, 405, 'method_not_allowed')
    expect(response.headers.get('Allow')?.split(/,\s*/).sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH'])
    const login = await call('/api/v1/auth/login')
    await expectProblem(login, 405, 'method_not_allowed')
    expect(login.headers.get('Allow')).toBe('POST')
  })
})

describe('response headers', () => {
  let account: SignedUp
  beforeAll(async () => {
    account = await signUp('Edge')
  })

  function expectHardened(response: Response) {
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(response.headers.get('Strict-Transport-Security')).toMatch(/max-age=\d{7,}/)
    expect(response.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'")
    expect(response.headers.has('X-Powered-By')).toBe(false)
    expect(response.headers.has('Server')).toBe(false)
  }

  it('hardens gateway answers, forwarded answers and errors alike', async () => {
    expectHardened(await call('/health'))
    expectHardened(await call('/api/v1/users/me', { headers: bearer(account.token) }))
    expectHardened(await call('/nothing'))
    expectHardened(await call('/api/v1/users/me'))
  })

  it('marks an authenticated answer no-store', async () => {
    const response = await call('/api/v1/users/me', { headers: bearer(account.token) })
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
  })

  it('puts an X-Request-Id on every answer, errors and preflights included', async () => {
    const responses = [
      await call('/health'),
      await call('/nothing'),
      await call('/api/v1/users/me'),
      await send('POST', REGISTER, '{'),
      await call('/api/v1/users/me', {
        method: 'OPTIONS',
        headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'GET' },
      }),
    ]
    for (const response of responses) expect(response.headers.get('X-Request-Id')).toMatch(/^[A-Za-z0-9._-]{8,128}$/)
  })

  it('echoes a well-formed client request id, into problems from the service too', async () => {
    const id = `client-${crypto.randomUUID()}`
    const duplicate = { email: account.email, password: PASSWORD, name: 'Again' }
    const response = await send('POST', REGISTER, duplicate, { 'X-Request-Id': id })
    expect(response.headers.get('X-Request-Id')).toBe(id)
    expect((await expectProblem(response, 409, 'email_taken')).request_id).toBe(id)
  })

  it.each(['short', 'has spaces in it', '<script>alert(1)</script>', 'x'.repeat(129)])(
    'replaces a malformed client request id (%s)',
    async (id) => {
      const response = await call('/nothing', { headers: { 'X-Request-Id': id } })
      expect(response.headers.get('X-Request-Id')).not.toBe(id)
      await expectProblem(response, 404, 'not_found')
    },
  )
})

describe('CORS', () => {
  const ALLOWED = 'http://localhost:3000'
  const preflight = (origin: string) =>
    call('/api/v1/users/me', {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'Authorization' },
    })

  it('echoes an allowed origin on a preflight, a simple request and an error', async () => {
    const response = await preflight(ALLOWED)
    expect(response.status).toBe(204)
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED)
    expect(response.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization/i)
    const simple = await call('/health', { headers: { Origin: 'http://127.0.0.1:3000' } })
    expect(simple.headers.get('Access-Control-Allow-Origin')).toBe('http://127.0.0.1:3000')
    expect(simple.headers.get('Vary')).toMatch(/Origin/)
    const error = await call('/api/v1/users/me', { headers: { Origin: ALLOWED } })
    expect(error.headers.get('Access-Control-Allow-Origin')).toBe(ALLOWED)
    expect(error.headers.get('Access-Control-Expose-Headers')).toMatch(/X-Request-Id/)
  })

  it.each(['https://evil.example', 'http://localhost:3000.evil.example', 'http://localhost:30000', 'null', '*'])(
    'never echoes the unknown origin %s',
    async (origin) => {
      for (const response of [await preflight(origin), await call('/health', { headers: { Origin: origin } })]) {
        expect(response.headers.has('Access-Control-Allow-Origin')).toBe(false)
        expect(response.headers.has('Access-Control-Allow-Credentials')).toBe(false)
      }
    },
  )
})
