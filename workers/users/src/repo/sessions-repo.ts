import { and, eq, isNull, ne } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { refreshTokens, sessions } from './schema'

/** A stored refresh token with the state of its session: what a refresh must check. */
export interface StoredRefreshToken {
  sessionId: string
  userId: string
  expiresAt: string
  usedAt: string | null
  sessionExpiresAt: string
  sessionRevokedAt: string | null
}

export interface NewSession {
  id: string
  userId: string
  createdAt: string
  expiresAt: string
}

export interface NewRefreshToken {
  tokenHash: string
  sessionId: string
  userId: string
  createdAt: string
  expiresAt: string
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>

export function createSessionsRepo(d1: D1Database) {
  const db = drizzle(d1)
  const revokeWhere = (userId: string, now: string, keep: string | null) =>
    db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keep === null ? undefined : ne(sessions.id, keep)))

  return {
    async open(session: NewSession): Promise<void> {
      await db.insert(sessions).values(session)
    },

    async find(tokenHash: string): Promise<StoredRefreshToken | null> {
      const row = await db
        .select({
          sessionId: refreshTokens.sessionId,
          userId: refreshTokens.userId,
          expiresAt: refreshTokens.expiresAt,
          usedAt: refreshTokens.usedAt,
          sessionExpiresAt: sessions.expiresAt,
          sessionRevokedAt: sessions.revokedAt,
        })
        .from(refreshTokens)
        .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
        .where(eq(refreshTokens.tokenHash, tokenHash))
        .get()
      return row ?? null
    },

    /**
     * Marks a token used, only if it was not: one statement, so of two concurrent exchanges of
     * the same token exactly one wins. `false` for the loser (a reuse).
     */
    async markUsed(tokenHash: string, now: string): Promise<boolean> {
      const rows = await db
        .update(refreshTokens)
        .set({ usedAt: now })
        .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt)))
        .returning({ tokenHash: refreshTokens.tokenHash })
      return rows.length === 1
    },

    async add(token: NewRefreshToken): Promise<void> {
      await db.insert(refreshTokens).values(token)
    },

    async revoke(sessionId: string, now: string): Promise<void> {
      await db
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    },

    /** Ends every live session of the user but `keep` (a session id), as a statement for a batch. */
    revokeAllStatement: (userId: string, now: string, keep: string | null = null) => revokeWhere(userId, now, keep),

    /** Forgets every session and refresh token of the user (account deletion), as statements for a batch. */
    eraseStatements: (userId: string) =>
      [db.delete(refreshTokens).where(eq(refreshTokens.userId, userId)), db.delete(sessions).where(eq(sessions.userId, userId))] as const,
  }
}
