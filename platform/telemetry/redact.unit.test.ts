import { describe, expect, it } from 'vitest'
import { isSecretName, redact, REDACTED, scrubText } from './redact'

describe('redact', () => {
  it('replaces secret-named fields at any depth, in objects and arrays', () => {
    const input = {
      email: 'ada@example.com',
      password: 'correct horse battery staple',
      user: { name: 'Ada', new_password: 'x', credentials: { user: 'a', pass: 'b' } },
      headers: { Authorization: 'Bearer abc', Cookie: 'session=1', 'X-Api-Key': 'k', accept: 'application/json' },
      items: [{ payment_token: 'tok_visa', quantity: 1 }],
      jwk: { kty: 'EC', d: 'private', x: 'public' },
      key: { kty: 'EC', d: 'private' },
      signing: { kty: 'EC', crv: 'P-256', d: 'private-scalar', x: 'xx', y: 'yy' },
      access_token: 'eyJ.a.b',
      client_secret: 's',
    }
    expect(redact(input)).toEqual({
      email: 'ada@example.com',
      password: REDACTED,
      user: { name: 'Ada', new_password: REDACTED, credentials: REDACTED },
      headers: { Authorization: REDACTED, Cookie: REDACTED, 'X-Api-Key': REDACTED, accept: 'application/json' },
      items: [{ payment_token: REDACTED, quantity: 1 }],
      jwk: REDACTED,
      key: REDACTED,
      signing: { kty: 'EC', crv: 'P-256', d: REDACTED, x: 'xx', y: 'yy' },
      access_token: REDACTED,
      client_secret: REDACTED,
    })
  })

  it('masks tokens, bearer credentials and private keys inside free text', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl'
    expect(scrubText(`verify failed for ${jwt}`)).toBe(`verify failed for ${REDACTED}`)
    expect(scrubText('header was Bearer abc.def-ghi')).toBe(`header was Bearer ${REDACTED}`)
    expect(scrubText('charge tok_chargeDeclined failed')).toBe(`charge ${REDACTED} failed`)
    expect(scrubText('-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY----- then')).toBe(`${REDACTED} then`)
  })

  it('masks the credential schemes whatever their case, and leaves text without a secret shape as it is', () => {
    expect(scrubText('sent BEARER abc.def')).toBe(`sent BEARER ${REDACTED}`)
    expect(scrubText('sent basic dXNlcjpwYXNz')).toBe(`sent basic ${REDACTED}`)
    for (const text of ['request', 'GET /api/v1/users/me', 'a basically bearable message', '']) expect(scrubText(text)).toBe(text)
  })

  it('keeps an error as name, message and stack, scrubbed', () => {
    const error = new Error('bad token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.sig')
    const safe = redact({ error }) as { error: { name: string; message: string; stack: string } }
    expect(safe.error.name).toBe('Error')
    expect(safe.error.message).toBe(`bad token ${REDACTED}`)
    expect(safe.error.stack).not.toContain('eyJ')
  })

  it('never includes a request or response body, a stream or bytes', () => {
    const request = new Request('https://x.test/login', { method: 'POST', body: '{"password":"p"}' })
    expect(redact({ request, body: new Uint8Array([1]), stream: new ReadableStream() })).toEqual({
      request: '[omitted body]',
      body: '[omitted body]',
      stream: '[omitted body]',
    })
  })

  it('survives cycles and shared references', () => {
    const shared = { id: 1 }
    const cyclic: Record<string, unknown> = { a: shared, b: shared }
    cyclic.self = cyclic
    expect(redact(cyclic)).toEqual({ a: { id: 1 }, b: { id: 1 }, self: '[Circular]' })
  })

  it('treats ordinary names as ordinary', () => {
    for (const name of ['email', 'order_id', 'status', 'duration_ms', 'route', 'downstream', 'message_id'])
      expect(isSecretName(name)).toBe(false)
    for (const name of ['Password', 'refresh-token', 'GATEWAY_PRIVATE_KEY', 'set-cookie', 'idempotency_key', 'd'])
      expect(isSecretName(name)).toBe(true)
  })

  it('judges a name the same every time, however many names it has seen', () => {
    for (let i = 0; i < 2_000; i++) expect(isSecretName(`field_${i}`)).toBe(false)
    for (let i = 0; i < 2_000; i++) expect(isSecretName(`field_${i}_token`)).toBe(true)
    expect(isSecretName('status')).toBe(false)
    expect(isSecretName('status')).toBe(false)
    expect(isSecretName('x-api-key')).toBe(true)
    expect(isSecretName('x-api-key')).toBe(true)
  })
})
