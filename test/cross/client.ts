// Helpers for the cross-Worker suite: every call goes through the real gateway, which reaches
// the real users Worker over its service binding.
import { exports } from 'cloudflare:workers'
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from 'jose'
import { expect } from 'vitest'
import type { Problem } from '../../shared-contracts/errors'
import type { TokenResponse, User } from '../../shared-contracts/users'

export const PASSWORD = 'a long enough password'

/**
 * A client address of its own per request (as `CF-Connecting-IP`, which Cloudflare sets), unless
 * the test chooses one: the suite registers and logs in many users, and the per-IP rate limits
 * stay at their production values.
 */
export const uniqueIp = () => `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`

export function call(path: string, init?: RequestInit): Promise<Response> {
  const request = new Request(`https://api.example${path}`, init)
  if (!request.headers.has('CF-Connecting-IP')) request.headers.set('CF-Connecting-IP', uniqueIp())
  return exports.default.fetch(request)
}

/** Sends `body` as JSON (strings are sent as they are, so tests can send broken JSON). */
export function send(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, {
    method,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })

export const uniqueEmail = (label = 'user') => `${label}-${crypto.randomUUID()}@example.com`

export interface SignedUp {
  user: User
  email: string
  token: string
  /** The session's refresh token (POST /api/v1/auth/refresh). */
  refreshToken: string
}

/** Registers a fresh customer and logs in, both through the gateway. */
export async function signUp(name = 'Ada'): Promise<SignedUp> {
  const email = uniqueEmail()
  const registered = await send('POST', '/api/v1/auth/register', { email, password: PASSWORD, name })
  expect(registered.status).toBe(201)
  const user = (await registered.json()) as User
  const login = await send('POST', '/api/v1/auth/login', { email, password: PASSWORD })
  expect(login.status).toBe(200)
  const { access_token, refresh_token } = (await login.json()) as TokenResponse
  return { user, email, token: access_token, refreshToken: refresh_token }
}

/**
 * Asserts a problem+json answer: status, content type, code, and a `request_id` equal to the
 * `X-Request-Id` header (so a client can quote either). Returns the body for further checks.
 */
export async function expectProblem(response: Response, status: number, code: Problem['code']): Promise<Problem> {
  expect(response.status).toBe(status)
  expect(response.headers.get('Content-Type')).toBe('application/problem+json')
  const requestId = response.headers.get('X-Request-Id')
  expect(requestId).toMatch(/^[A-Za-z0-9._-]{8,128}$/)
  const body = (await response.json()) as Problem
  expect(body).toMatchObject({ status, code, request_id: requestId })
  expect(JSON.stringify(body)).not.toMatch(/\bat \S+:\d+:\d+/) // no stack trace
  return body
}

/** A 401 that challenges for a bearer token. */
export async function expectUnauthenticated(response: Response): Promise<Problem> {
  const body = await expectProblem(response, 401, 'unauthenticated')
  expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer\b/)
  return body
}

// --- Forging tokens: the users signing key is out of reach, so forgeries use our own keys. ---

export const encodeSegment = (value: unknown) => base64url.encode(JSON.stringify(value))

/** The decoded header and claims of a real token, plus its raw segments. */
export function dissect(token: string) {
  const [header, payload, signature] = token.split('.') as [string, string, string]
  return { header, payload, signature, decodedHeader: decodeProtectedHeader(token), claims: decodeJwt(token) }
}

let attacker: Promise<{ privateKey: CryptoKey; publicJwk: JWK }> | null = null

/** One attacker key pair per test file. */
export function attackerKey() {
  attacker ??= generateKeyPair('ES256', { extractable: true }).then(async ({ privateKey, publicKey }) => ({
    privateKey,
    publicJwk: await exportJWK(publicKey),
  }))
  return attacker
}

/** Signs `claims` with the attacker's key, under the real key's `kid` (`kid`) unless `header` says otherwise. */
export async function forgeToken(
  kid: string | undefined,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  const { privateKey } = await attackerKey()
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, ...header }).sign(privateKey)
}

/** The gateway's own refusal of a token that does not verify: a 401 whose challenge says `invalid_token` (RFC 6750 §3.1). */
export async function expectInvalidToken(response: Response): Promise<void> {
  await expectUnauthenticated(response)
  expect(response.headers.get('WWW-Authenticate')).toContain('error="invalid_token"')
}

// --- Fixtures through the gateway: the development admin, products, orders. ---

/** The admin `npm start` and the test configuration bootstrap. */
export const DEV_ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }

export async function adminToken(): Promise<string> {
  const login = await send('POST', '/api/v1/auth/login', DEV_ADMIN)
  expect(login.status).toBe(200)
  return ((await login.json()) as TokenResponse).access_token
}

/** Creates a product as the admin; answers its id. */
export async function createProduct(admin: string, stock = 100, priceCents = 1_000): Promise<string> {
  const body = { sku: `SKU-${crypto.randomUUID()}`, name: 'Fixture', price_cents: priceCents, currency: 'EUR', initial_stock: stock }
  const created = await send('POST', '/api/v1/products', body, bearer(admin))
  expect(created.status).toBe(201)
  return ((await created.json()) as { id: string }).id
}

/** Places an order of one unit of `productId`; answers the 202's order id. */
export async function placeOrder(token: string, productId: string, key = crypto.randomUUID()): Promise<string> {
  const placed = await send(
    'POST',
    '/api/v1/orders',
    { items: [{ product_id: productId, quantity: 1 }], payment_token: 'tok_visa' },
    { ...bearer(token), 'Idempotency-Key': key },
  )
  expect(placed.status).toBe(202)
  return ((await placed.json()) as { id: string }).id
}
