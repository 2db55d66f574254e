import { inject } from 'vitest'
import { createContract } from '../support/contract'

const baseUrl = inject('baseUrl')
/** Every answer the suite sees is held to the OpenAPI document (contract tests, issue 8.4). */
const contract = createContract()

export interface ApiResponse<T = unknown> {
  status: number
  headers: Headers
  body: T
}

/** An address from the IPv6 documentation range, sent as `CF-Connecting-IP` (wrangler dev passes it through). */
export const uniqueIp = () => `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`

/** A rate-limited (429) request never reached a service: waiting `Retry-After` and sending it again is safe. */
const RATE_LIMITED_RETRIES = 5

/**
 * A client of the public API, as a user's program would call it over HTTP. Like a well-behaved
 * client it honours a 429's `Retry-After` (a test that polls hard as one user can spend the
 * per-user quota); `rateLimited: 'return'` hands the 429 back instead.
 */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string>; rateLimited?: 'retry' | 'return' } = {},
): Promise<ApiResponse<T>> {
  for (let attempt = 0; ; attempt++) {
    const response = await send<T>(method, path, options)
    if (response.status !== 429 || options.rateLimited === 'return' || attempt >= RATE_LIMITED_RETRIES) return response
    const seconds = Math.min(Number(response.headers.get('Retry-After') ?? 1) || 1, 10)
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  }
}

async function send<T>(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> },
): Promise<ApiResponse<T>> {
  // Every call its own client address unless the test picks one: the suites sign up many users
  // from one machine, and the per-IP rate limits keep their production values (docs/adr/0013).
  const headers: Record<string, string> = { 'CF-Connecting-IP': uniqueIp(), ...options.headers }
  if (options.body !== undefined && headers['Content-Type'] === undefined) headers['Content-Type'] = 'application/json'
  if (options.token) headers.Authorization = `Bearer ${options.token}`
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body })
  const text = await response.text()
  const parsed = { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as T }
  // A response the spec does not describe (status, required headers, content type, body) fails the test.
  contract.assertConforms(method, path, parsed)
  return parsed
}

export const uniqueEmail = (label = 'e2e') => `${label}-${crypto.randomUUID().slice(0, 8)}@example.com`

/** Registers a fresh customer and logs in; answers the token and the user's email. */
export async function signUp(name = 'E2E Customer'): Promise<{ token: string; email: string; password: string }> {
  const email = uniqueEmail()
  const password = 'a perfectly long password'
  const registered = await api('POST', '/api/v1/auth/register', { body: { email, password, name } })
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`)
  const login = await api<{ access_token: string }>('POST', '/api/v1/auth/login', { body: { email, password } })
  return { token: login.body.access_token, email, password }
}
