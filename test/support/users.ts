import type { Principal } from '../../platform/auth/principal'
import type { TokenResponse, User } from '../../shared-contracts/users'
import type { Env } from '../../workers/users/src/env'
import { createServices } from '../../workers/users/src/services'
import { createTokenIssuer } from '../../workers/users/src/service/tokens'
import { serviceClient, type CallOptions } from './service-client'

export { readProblem } from './service-client'

const users = serviceClient<Env>('users')

/** The users Worker's own bindings plus those the test configuration adds (vitest.config.ts). */
export const testEnv = users.env

/** Calls the users Worker as the gateway would (./service-client). */
export const callUsers = (path: string, options?: CallOptions) => users.call(path, options)

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

/** The Worker's services over the test's D1 (the database it serves, or `db` seen through a test's stand-in), on a clock the test chooses. */
export function testServices(now: () => Date = () => new Date(), db: D1Database = testEnv.DB) {
  const tokens = createTokenIssuer({
    issuer: testEnv.JWT_ISSUER,
    audience: testEnv.JWT_AUDIENCE,
    privateKeyJson: testEnv.JWT_PRIVATE_KEY,
    previousPublicKeyJson: testEnv.JWT_PREVIOUS_PUBLIC_KEY,
  })
  return createServices(db, tokens, { now })
}

/** A refresh call, as the gateway forwards it. */
export const refreshCall = (refresh_token: string) => callUsers('/api/v1/auth/refresh', { method: 'POST', body: { refresh_token } })
