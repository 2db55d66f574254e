import { describe, expect, it } from 'vitest'
import { maintainUsers } from './maintenance'
import { testEnv } from '../../../../test/support/users'

// Sessions and refresh tokens are kept only while they can still be used: a day after a session
// ends (logout, reuse detection, password change, deletion, expiry) it goes with its tokens.
const DAY = 24 * 60 * 60 * 1000
const iso = (ms: number) => new Date(ms).toISOString()
const db = testEnv.DB
const count = async (sql: string, ...params: unknown[]) =>
  (await db
    .prepare(sql)
    .bind(...params)
    .first<{ n: number }>())!.n

async function session(now: number, { expiresIn = 30 * DAY, revokedAgo = null as number | null } = {}): Promise<string> {
  const id = `ses_${crypto.randomUUID()}`
  await db
    .prepare('INSERT INTO sessions (id, user_id, created_at, expires_at, revoked_at) VALUES (?1, ?2, ?3, ?4, ?5)')
    .bind(id, `usr_${id}`, iso(now - 40 * DAY), iso(now + expiresIn), revokedAgo === null ? null : iso(now - revokedAgo))
    .run()
  for (const used of [true, false]) {
    await db
      .prepare(
        'INSERT INTO refresh_tokens (token_hash, session_id, user_id, created_at, expires_at, used_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)',
      )
      .bind(crypto.randomUUID(), id, `usr_${id}`, iso(now - DAY), iso(now + Math.min(expiresIn, 30 * DAY)), used ? iso(now - DAY) : null)
      .run()
  }
  return id
}

const sessionRows = (id: string) => count('SELECT count(*) AS n FROM sessions WHERE id = ?1', id)
const tokenRows = (id: string) => count('SELECT count(*) AS n FROM refresh_tokens WHERE session_id = ?1', id)

describe('retention: what users keeps of sessions', () => {
  it('deletes sessions ended over a day ago with their tokens, and keeps live and just-ended ones with theirs', async () => {
    const now = Date.now()
    const live = await session(now)
    const justRevoked = await session(now, { revokedAgo: 60 * 60 * 1000 })
    const revoked = await session(now, { revokedAgo: 2 * DAY })
    const expired = await session(now, { expiresIn: -2 * DAY })
    await maintainUsers(testEnv, now)
    expect([await sessionRows(live), await tokenRows(live)]).toEqual([1, 2])
    expect([await sessionRows(justRevoked), await tokenRows(justRevoked)]).toEqual([1, 2])
    expect([await sessionRows(revoked), await tokenRows(revoked)]).toEqual([0, 0])
    expect([await sessionRows(expired), await tokenRows(expired)]).toEqual([0, 0])
  })
})
