import { jwtVerify, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose'
import { Lru } from '../../../../platform/cache/lru'
import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import { ROLES, type Role } from '../../../../shared-contracts/users'
import { SIGNING_ALG } from '../../../../platform/auth/keys'
import type { Principal } from '../../../../platform/auth/principal'
import { KeysUnavailableError } from './jwks-cache'

/** Longer than any token we issue; checked before a byte is parsed. */
export const MAX_TOKEN_LENGTH = 4096
const CLOCK_TOLERANCE_SECONDS = 30
/** The longest an access token may live (`exp − iat`): users issues 15-minute tokens. */
export const MAX_TOKEN_LIFETIME_SECONDS = 15 * 60
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i

export interface AccessTokenPolicy {
  issuer: string
  audience: string
  getKey: (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>
  /** The verification time; injected by tests. */
  currentDate?: () => Date
}

const invalid = (detail: string) => fail({ code: 'unauthenticated' as const, detail })

function isRoleList(value: unknown): value is Role[] {
  return Array.isArray(value) && value.every((role) => (ROLES as readonly unknown[]).includes(role))
}

/** Extracts the token from an `Authorization: Bearer` header; nothing else is a token source. */
export function bearerToken(header: string | undefined): Result<string> {
  if (header === undefined) return invalid('No bearer token.')
  if (header.length > MAX_TOKEN_LENGTH + 7) return invalid('The token is too long.')
  const match = BEARER.exec(header.trim())
  return match ? ok(match[1] as string) : invalid('The Authorization header is not a bearer token.')
}

/** A verified token's principal and the time (ms since the epoch) its `exp` ends. */
interface Verified {
  principal: Principal
  expiresAtMs: number
}

async function verify(token: string, policy: AccessTokenPolicy): Promise<Result<Verified>> {
  // Enforced here too, not only by bearerToken(), so no caller can hand over an unbounded token.
  if (token.length > MAX_TOKEN_LENGTH) return invalid('The token is too long.')
  try {
    const { payload } = await jwtVerify(token, policy.getKey, {
      algorithms: [SIGNING_ALG],
      issuer: policy.issuer,
      audience: policy.audience,
      requiredClaims: ['exp', 'iat', 'sub'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(policy.currentDate ? { currentDate: policy.currentDate() } : {}),
    })
    // jose checks `exp` and `nbf`; `iat` is ours: a token from the future, or one that lives
    // longer than any we issue, was not made by users (or was made with a wrong clock).
    const iat = payload.iat as number
    const nowSeconds = (policy.currentDate ? policy.currentDate() : new Date()).getTime() / 1000
    if (iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) return invalid('The token was issued in the future.')
    if ((payload.exp as number) - iat > MAX_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS)
      return invalid('The token lives longer than allowed.')
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) return invalid('The token has no subject.')
    if (!isRoleList(payload.roles)) return invalid('The token carries unknown roles.')
    return ok({ principal: { id: payload.sub, roles: payload.roles }, expiresAtMs: (payload.exp as number) * 1000 })
  } catch (error) {
    if (error instanceof KeysUnavailableError) throw error // our failure, not the client's
    return invalid('The token is invalid or expired.')
  }
}

/**
 * Verifies an access token: ES256 only (never `none`, never HS*), our issuer and audience,
 * `exp`, `iat` and `sub` required, a small clock tolerance, `iat` not in the future, a lifetime
 * of at most 15 minutes, and roles we know.
 */
export async function verifyAccessToken(token: string, policy: AccessTokenPolicy): Promise<Result<Principal>> {
  const verified = await verify(token, policy)
  return verified.ok ? ok(verified.value.principal) : verified
}

export interface VerifiedTokenCacheOptions {
  maxEntries: number
  /**
   * The longest a verification is reused, whatever the token's `exp`: a key withdrawn from the
   * JWKS stops being honoured at most this long after the gateway's key set drops it.
   */
  maxAgeMs: number
}

export const DEFAULT_VERIFIED_TOKEN_CACHE: VerifiedTokenCacheOptions = { maxEntries: 10_000, maxAgeMs: 60_000 }

/** A cached principal's size for the LRU's byte bound: the 32-byte key, the id and the roles. */
const entryBytes = (principal: Principal) => 32 + principal.id.length + principal.roles.reduce((sum, role) => sum + role.length + 3, 16)
const ENTRY_BYTES_ALLOWANCE = 512

/** The SHA-256 of the token as a 32-character string: the cache never holds a bearer token itself. */
async function tokenKey(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)))
  return String.fromCharCode(...digest)
}

/**
 * `verifyAccessToken` with a per-isolate LRU of successful verifications (ES256 verification is
 * the costliest step of an authenticated request). Keyed by the token's SHA-256; an entry lives
 * until the token's `exp` or `maxAgeMs`, whichever comes first (the clock is the policy's
 * `currentDate`). Only a token that verified is cached — never a failure — so tokens that do
 * not verify cannot evict good entries, and every one of them is verified afresh.
 */
export function createAccessTokenVerifier(policy: AccessTokenPolicy, options: VerifiedTokenCacheOptions = DEFAULT_VERIFIED_TOKEN_CACHE) {
  const now = () => (policy.currentDate ? policy.currentDate().getTime() : Date.now())
  const cache = new Lru<Principal>({ maxEntries: options.maxEntries, maxBytes: options.maxEntries * ENTRY_BYTES_ALLOWANCE, now })
  return async function verifyCached(token: string): Promise<Result<Principal>> {
    if (token.length > MAX_TOKEN_LENGTH) return invalid('The token is too long.')
    const key = await tokenKey(token)
    const hit = cache.get(key)
    // A copy: a caller that changes its principal cannot change the cached one.
    if (hit) return ok({ id: hit.id, roles: [...hit.roles] })
    const verified = await verify(token, policy)
    if (!verified.ok) return verified
    const { principal, expiresAtMs } = verified.value
    cache.set(
      key,
      { id: principal.id, roles: [...principal.roles] },
      entryBytes(principal),
      Math.min(expiresAtMs - now(), options.maxAgeMs),
    )
    return ok(principal)
  }
}
