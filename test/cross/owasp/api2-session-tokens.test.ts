import { describe, expect, it } from 'vitest'
import type { TokenResponse } from '../../../shared-contracts/users'
import { bearer, call, expectInvalidToken, expectProblem, send, signUp, uniqueIp } from '../client'

// OWASP API2:2023 Broken Authentication, for sessions: a refresh token is no access token and an
// access token no refresh token; a refresh token works once, within its own session; and
// (API1:2023, object level) one user cannot end another user's session.
const refresh = (refresh_token: string, headers: Record<string, string> = {}) =>
  send('POST', '/api/v1/auth/refresh', { refresh_token }, headers)
const logout = (token: string, refresh_token: string) => send('POST', '/api/v1/auth/logout', { refresh_token }, bearer(token))

async function rotated(refreshToken: string): Promise<TokenResponse> {
  const response = await refresh(refreshToken)
  expect(response.status).toBe(200)
  expect(response.headers.get('Cache-Control')).toBe('no-store')
  return (await response.json()) as TokenResponse
}

describe('refresh tokens and access tokens are never taken for each other', () => {
  it('refuses a refresh token as a bearer token on every kind of route', async () => {
    const { refreshToken } = await signUp('Swap')
    for (const path of ['/api/v1/users/me', '/api/v1/orders', '/api/v1/notifications'])
      await expectInvalidToken(await call(path, { headers: bearer(refreshToken) }))
    // Refused before any route: even a public one does not take it.
    await expectInvalidToken(await call('/api/v1/products', { headers: bearer(refreshToken) }))
  })

  it('refuses an access token as a refresh token', async () => {
    const { token } = await signUp('Swap')
    await expectProblem(await refresh(token), 401, 'invalid_refresh_token')
  })
})

describe('a refresh token is bound to its session', () => {
  it('works once: a stolen, already-rotated token is refused and ends the session of the legitimate holder too', async () => {
    const victim = await signUp('Victim')
    const current = await rotated(victim.refreshToken)
    await expectProblem(await refresh(victim.refreshToken), 401, 'invalid_refresh_token')
    await expectProblem(await refresh(current.refresh_token), 401, 'invalid_refresh_token')
  })

  it("gives no access to another user: a refreshed access token is the same user's", async () => {
    const account = await signUp('Owner')
    const next = await rotated(account.refreshToken)
    const me = await call('/api/v1/users/me', { headers: bearer(next.access_token) })
    expect(((await me.json()) as { id: string }).id).toBe(account.user.id)
  })

  it('is counted like login, per client IP', async () => {
    const ip = uniqueIp()
    const response = await refresh('rt_unknown', { 'CF-Connecting-IP': ip })
    expect(response.headers.get('RateLimit-Policy')).toBe('"auth";q=10;w=60')
  })
})

describe("another user's session cannot be ended", () => {
  it("logging out with someone else's refresh token changes nothing for them", async () => {
    const [victim, attacker] = await Promise.all([signUp('Victim'), signUp('Attacker')])
    expect((await logout(attacker.token, victim.refreshToken)).status).toBe(204)
    await rotated(victim.refreshToken)
  })

  it('logging out needs a signed-in caller', async () => {
    const victim = await signUp('Victim')
    const response = await send('POST', '/api/v1/auth/logout', { refresh_token: victim.refreshToken })
    expect(response.status).toBe(401)
    await rotated(victim.refreshToken)
  })
})
