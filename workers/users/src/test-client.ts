import { env, exports } from 'cloudflare:workers'
import { createCredentialSigner, CREDENTIAL_HEADER } from '../../../platform/auth/internal-credential'
import type { Principal } from '../../../platform/auth/principal'
import { REQUEST_ID_HEADER } from '../../../platform/http/request-id'
import type { TokenResponse, User } from '../../../shared-contracts/users'
import type { Env } from './env'
import { createServices } from './services'
import { createTokenIssuer } from './service/tokens'

/** The users Worker's own bindings plus those the test configuration adds (vitest.config.ts). */
export const testEnv = env as Env & { TEST_GATEWAY_PRIVATE_KEY: string }
/** The Worker under test: the `main` of the users test project. */
const worker = (exports as unknown as { default: { fetch(request: Request): Promise<Response> } }).default

const sign = createCredentialSigner(testEnv.TEST_GATEWAY_PRIVATE_KEY)

export interface CallOptions {
  method?: string
  body?: unknown
  principal?: Principal | null
  /** Leave out the gateway credential, or send this one instead. */
  credential?: string | null
  audience?: string
  /** Extra request headers, set last. */
  headers?: Record<string, string>
}

/**
 * Calls the users Worker as the gateway would: with a credential signed for it, and the same
 * request id in the credential and in `X-Request-Id`.
 */
export async function callUsers(path: string, options: CallOptions = {}): Promise<Response> {
  const requestId = crypto.randomUUID()
  const headers = new Headers({ 'Content-Type': 'application/json', [REQUEST_ID_HEADER]: requestId })
  const credential =
    options.credential !== undefined
      ? options.credential
      : await sign(options.audience ?? 'users', { principal: options.principal ?? null, requestId })
  if (credential !== null) headers.set(CREDENTIAL_HEADER, credential)
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value)
  const body = options.body === undefined ? undefined : typeof options.body === 'string' || options.body instanceof ReadableStream ? options.body : JSON.stringify(options.body)
  return worker.fetch(new Request(`https://users.internal${path}`, { method: options.method ?? 'GET', headers, body, duplex: 'half' } as RequestInit))
}

export const uniqueEmail = (label = 'user') => `${label}-${crypto.randomUUID().slice(0, 8)}@example.com`

export const TEST_PASSWORD = 'correct horse battery'

export interface RegisteredUser {
  user: User
  principal: Principal
  password: string
}

/** Registers a fresh customer through the route and returns it with the principal the gateway would derive. */
export async function registerUser(overrides: { email?: string; name?: string; password?: string } = {}): Promise<RegisteredUser> {
  const body = { email: uniqueEmail(), name: 'Ada', password: TEST_PASSWORD, ...overrides }
  const response = await callUsers('/api/v1/auth/register', { method: 'POST', body })
  if (response.status !== 201) throw new Error(`register answered ${response.status}: ${await response.text()}`)
  const user = (await response.json()) as User
  return { user, principal: { id: user.id, roles: user.roles }, password: body.password }
}

/** Logs in through the route; throws unless it succeeds. */
export async function login(email: string, password: string): Promise<TokenResponse> {
  const response = await callUsers('/api/v1/auth/login', { method: 'POST', body: { email, password } })
  if (response.status !== 200) throw new Error(`login answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as TokenResponse
}

/** Registers a fresh customer and logs them in. */
export async function registerAndLogin(overrides: { email?: string; name?: string } = {}) {
  const registered = await registerUser(overrides)
  return { ...registered, token: await login(registered.user.email, registered.password) }
}

/** Reads a response as problem+json, asserting nothing: tests assert on the result. */
export async function readProblem(response: Response) {
  return {
    status: response.status,
    contentType: response.headers.get('Content-Type'),
    body: (await response.json()) as { code: string; request_id: string; title: string; status: number; errors?: { path: string; message: string }[] },
  }
}

/** The Worker's services over the test's D1 (the database it serves), on a clock the test chooses. */
export function testServices(now: () => Date = () => new Date()) {
  const tokens = createTokenIssuer({
    issuer: testEnv.JWT_ISSUER,
    audience: testEnv.JWT_AUDIENCE,
    privateKeyJson: testEnv.JWT_PRIVATE_KEY,
    previousPublicKeyJson: testEnv.JWT_PREVIOUS_PUBLIC_KEY,
  })
  return createServices(testEnv.DB, tokens, now)
}

/** A refresh call, as the gateway forwards it. */
export const refreshCall = (refresh_token: string) => callUsers('/api/v1/auth/refresh', { method: 'POST', body: { refresh_token } })
