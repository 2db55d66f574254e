/**
 * Refresh tokens are opaque random strings (256 bits), not JWTs: nothing but users can read or
 * check them, and no verifier of access tokens could ever take one for an access token. Only
 * their SHA-256 is stored: the token is high-entropy, so a fast hash is enough (a slow one, as for
 * passwords, protects guessable secrets), and a copy of the database holds no usable token.
 */
const PREFIX = 'rt_'
const TOKEN_BYTES = 32

/** A refresh token lives 30 days unused; a session at most 90 days, however often it refreshes. */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 3600 * 1000
export const SESSION_TTL_MS = 90 * 24 * 3600 * 1000

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replaceAll('=', '')
}

export function newRefreshToken(): string {
  return PREFIX + base64url(crypto.getRandomValues(new Uint8Array(TOKEN_BYTES)))
}

export async function hashRefreshToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

export const newSessionId = () => `ses_${crypto.randomUUID().replaceAll('-', '')}`

/** A new token's expiry: 30 days from now, never past the end of its session. */
export function tokenExpiry(now: Date, sessionExpiresAt: string): string {
  const idle = new Date(now.getTime() + REFRESH_TOKEN_TTL_MS).toISOString()
  return idle < sessionExpiresAt ? idle : sessionExpiresAt
}
