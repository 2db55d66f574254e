import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import type { TokenResponse, User } from '../../../../shared-contracts/users'
import type { Principal } from '../../../../platform/auth/principal'
import type { SessionsRepo, StoredRefreshToken } from '../repo/sessions-repo'
import type { UsersRepo } from '../repo/users-repo'
import { hashRefreshToken, newRefreshToken, newSessionId, SESSION_TTL_MS, tokenExpiry } from './refresh-tokens'
import type { TokenIssuer } from './tokens'

export interface SessionsServiceDeps {
  sessions: SessionsRepo
  users: UsersRepo
  tokens: TokenIssuer
  now: () => Date
}

export type SessionsService = ReturnType<typeof createSessionsService>

/** Unknown, expired, used, revoked, or its user gone: one answer for all, so it tells a thief nothing. */
const INVALID = fail({ code: 'invalid_refresh_token' as const })

function isLive(stored: StoredRefreshToken, now: string): boolean {
  return stored.sessionRevokedAt === null && stored.expiresAt > now && stored.sessionExpiresAt > now
}

/**
 * Sessions (docs/adr/0027): a login starts one; each refresh exchanges its token for a new one
 * (rotation); a token exchanged twice ends its whole session (reuse detection, OAuth 2.0
 * Security BCP), because one of the two holders is not the user and users cannot tell which.
 */
export function createSessionsService({ sessions, users, tokens, now }: SessionsServiceDeps) {
  async function issue(user: User, sessionId: string, sessionExpiresAt: string, at: Date): Promise<TokenResponse> {
    const refreshToken = newRefreshToken()
    const token = {
      tokenHash: await hashRefreshToken(refreshToken),
      sessionId,
      userId: user.id,
      createdAt: at.toISOString(),
      expiresAt: tokenExpiry(at, sessionExpiresAt),
    }
    await sessions.add(token)
    return { ...(await tokens.issue(user)), refresh_token: refreshToken }
  }

  return {
    /** Starts a session for a user who just proved who they are: an access token and the session's first refresh token. */
    async start(user: User): Promise<TokenResponse> {
      const at = now()
      const session = {
        id: newSessionId(),
        userId: user.id,
        createdAt: at.toISOString(),
        expiresAt: new Date(at.getTime() + SESSION_TTL_MS).toISOString(),
      }
      // A session whose first token then failed to be written is never seen: nothing refers to it.
      await sessions.open(session)
      return issue(user, session.id, session.expiresAt, at)
    },

    /** Exchanges a refresh token for a new pair; a reused one revokes its session. */
    async refresh(refreshToken: string): Promise<Result<TokenResponse>> {
      const at = now()
      const hash = await hashRefreshToken(refreshToken)
      const stored = await sessions.find(hash)
      if (!stored || !isLive(stored, at.toISOString())) return INVALID
      // Used before, or used just now by a concurrent request: either way two parties hold it.
      if (stored.usedAt !== null || !(await sessions.markUsed(hash, at.toISOString()))) {
        await sessions.revoke(stored.sessionId, at.toISOString())
        return INVALID
      }
      const user = await users.findById(stored.userId)
      if (!user) return INVALID
      return ok(await issue(user, stored.sessionId, stored.sessionExpiresAt, at))
    },

    /**
     * Ends the session of the refresh token, if it is the caller's. Another user's token, or one
     * unknown, changes nothing and answers alike: logout is no oracle for whose a token is.
     */
    async logout(principal: Principal, refreshToken: string): Promise<void> {
      const stored = await sessions.find(await hashRefreshToken(refreshToken))
      if (stored && stored.userId === principal.id) await sessions.revoke(stored.sessionId, now().toISOString())
    },

    /** The session a refresh token of this user belongs to, if it is still live (the one a password change keeps). */
    async liveSessionOf(userId: string, refreshToken: string | undefined): Promise<string | null> {
      if (refreshToken === undefined) return null
      const stored = await sessions.find(await hashRefreshToken(refreshToken))
      return stored && stored.userId === userId && isLive(stored, now().toISOString()) ? stored.sessionId : null
    },
  }
}
