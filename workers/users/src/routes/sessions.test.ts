import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import type { TokenResponse } from '../../../../shared-contracts/users'
import { callUsers, readProblem, refreshCall, registerAndLogin } from '../../../../test/support/users'

async function refreshed(refreshToken: string): Promise<TokenResponse> {
  const response = await refreshCall(refreshToken)
  expect(response.status).toBe(200)
  expect(response.headers.get('Cache-Control')).toBe('no-store')
  return (await response.json()) as TokenResponse
}

/** The one answer to every refresh token that does not work: unknown, used, revoked or expired alike. */
async function expectRefused(response: Response) {
  const { status, contentType, body } = await readProblem(response)
  expect({ status, contentType, code: body.code }).toEqual({
    status: 401,
    contentType: 'application/problem+json',
    code: 'invalid_refresh_token',
  })
  expect(response.headers.get('WWW-Authenticate')).toBe('Bearer')
  expect(response.headers.get('Cache-Control')).toBeNull()
}

describe('POST /api/v1/auth/refresh', () => {
  it('exchanges a refresh token for a new access token and a new refresh token (rotation)', async () => {
    const { token, user } = await registerAndLogin()
    const next = await refreshed(token.refresh_token)
    expect(next).toMatchObject({ token_type: 'Bearer', expires_in: 900 })
    expect(next.refresh_token).not.toBe(token.refresh_token)
    expect(next.access_token).not.toBe(token.access_token)
    expect(decodeJwt(next.access_token)).toMatchObject({ sub: user.id, roles: ['customer'] })
    // The new one works in turn; a chain of refreshes keeps the session going.
    expect((await refreshed(next.refresh_token)).refresh_token).not.toBe(next.refresh_token)
  })

  it('refuses a token used once already, and then ends its whole session (reuse detection)', async () => {
    const { token } = await registerAndLogin()
    const legitimate = await refreshed(token.refresh_token)
    // A thief replays the stolen, already-rotated token...
    await expectRefused(await refreshCall(token.refresh_token))
    // ...and the legitimate holder's newer token of the same session stops working too.
    await expectRefused(await refreshCall(legitimate.refresh_token))
  })

  it('answers an unknown token the same 401 as a used one', async () => {
    await expectRefused(await refreshCall(`rt_${'A'.repeat(43)}`))
    await expectRefused(await refreshCall('not even the shape of one'))
  })

  it('never takes an access token for a refresh token', async () => {
    const { token } = await registerAndLogin()
    await expectRefused(await refreshCall(token.access_token))
  })

  it("keeps sessions apart: reuse in one session leaves the user's other sessions alone", async () => {
    const { token, user, password } = await registerAndLogin()
    const other = (await (
      await callUsers('/api/v1/auth/login', { method: 'POST', body: { email: user.email, password } })
    ).json()) as TokenResponse
    await refreshed(token.refresh_token)
    await expectRefused(await refreshCall(token.refresh_token))
    await refreshed(other.refresh_token)
  })

  it('refuses a body that is not { refresh_token } with a 400', async () => {
    const response = await callUsers('/api/v1/auth/refresh', { method: 'POST', body: { refresh_token: 'rt_x', extra: true } })
    expect((await readProblem(response)).body.code).toBe('validation_failed')
  })
})

describe('POST /api/v1/auth/logout', () => {
  it("ends the caller's session at once: its refresh tokens stop working", async () => {
    const { token, principal } = await registerAndLogin()
    const next = await refreshed(token.refresh_token)
    const response = await callUsers('/api/v1/auth/logout', { method: 'POST', principal, body: { refresh_token: next.refresh_token } })
    expect(response.status).toBe(204)
    expect(await response.text()).toBe('')
    await expectRefused(await refreshCall(next.refresh_token))
  })

  it("changes nothing when handed another user's refresh token", async () => {
    const victim = await registerAndLogin()
    const attacker = await registerAndLogin()
    const response = await callUsers('/api/v1/auth/logout', {
      method: 'POST',
      principal: attacker.principal,
      body: { refresh_token: victim.token.refresh_token },
    })
    expect(response.status).toBe(204)
    await refreshed(victim.token.refresh_token)
  })

  it('is refused without a signed-in principal', async () => {
    const { token } = await registerAndLogin()
    const response = await callUsers('/api/v1/auth/logout', { method: 'POST', body: { refresh_token: token.refresh_token } })
    expect((await readProblem(response)).status).toBe(401)
    await refreshed(token.refresh_token)
  })
})
