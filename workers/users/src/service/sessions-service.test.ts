import { describe, expect, it } from 'vitest'
import type { TokenResponse } from '../../../../shared-contracts/users'
import { registerUser, testServices } from '../../../../test/support/users'
import { REFRESH_TOKEN_TTL_MS, SESSION_TTL_MS } from './refresh-tokens'

const DAY = 24 * 3600 * 1000

/** The real sessions service over the test's D1, on a clock the test moves. */
function onClock(start = Date.now()) {
  const clock = { now: start }
  const { services } = testServices(() => new Date(clock.now))
  return { clock, sessions: services.sessions }
}

async function started(sessions: ReturnType<typeof onClock>['sessions']): Promise<TokenResponse> {
  const { user } = await registerUser()
  return sessions.start(user)
}

function value(result: { ok: true; value: TokenResponse } | { ok: false; error: { code: string } }): TokenResponse {
  if (!result.ok) throw new Error(`refresh failed: ${result.error.code}`)
  return result.value
}

describe('refresh token expiry', () => {
  it('works until 30 days unused, and not after', async () => {
    const { clock, sessions } = onClock()
    const first = await started(sessions)
    clock.now += REFRESH_TOKEN_TTL_MS - 60_000
    const second = value(await sessions.refresh(first.refresh_token))
    clock.now += REFRESH_TOKEN_TTL_MS
    expect(await sessions.refresh(second.refresh_token)).toEqual({ ok: false, error: { code: 'invalid_refresh_token' } })
  })

  it('ends a session after 90 days however often it refreshes', async () => {
    const start = Date.now()
    const { clock, sessions } = onClock(start)
    let token = (await started(sessions)).refresh_token
    for (const day of [20, 40, 60, 80]) {
      clock.now = start + day * DAY
      token = value(await sessions.refresh(token)).refresh_token
    }
    // The last token is 10 days old, well inside its 30, but its session is over.
    clock.now = start + SESSION_TTL_MS + 60_000
    expect(await sessions.refresh(token)).toEqual({ ok: false, error: { code: 'invalid_refresh_token' } })
  })
})

describe('concurrent refreshes of one token', () => {
  it('let at most one win, and the race ends the session like any reuse', async () => {
    const { sessions } = onClock()
    const first = await started(sessions)
    const results = await Promise.all([sessions.refresh(first.refresh_token), sessions.refresh(first.refresh_token)])
    const winners = results.filter((result) => result.ok)
    expect(winners).toHaveLength(1)
    for (const winner of winners) expect(await sessions.refresh(value(winner).refresh_token)).toMatchObject({ ok: false })
  })
})
