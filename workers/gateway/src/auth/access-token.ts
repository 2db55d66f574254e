import { jwtVerify, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose'
import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import { ROLES, type Role } from '../../../../shared-contracts/users'
import { SIGNING_ALG } from '../../../../platform/auth/keys'
import type { Principal } from '../../../../platform/auth/principal'
import { KeysUnavailableError } from './jwks-cache'

/** Longer than any token we issue; checked before a byte is parsed. */
export const MAX_TOKEN_LENGTH = 4096
const CLOCK_TOLERANCE_SECONDS = 30
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

/**
 * Verifies an access token: ES256 only (never `none`, never HS*), our issuer and audience,
 * `exp`, `iat` and `sub` required, a small clock tolerance, and roles we know.
 */
export async function verifyAccessToken(token: string, policy: AccessTokenPolicy): Promise<Result<Principal>> {
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
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) return invalid('The token has no subject.')
    if (!isRoleList(payload.roles)) return invalid('The token carries unknown roles.')
    return ok({ id: payload.sub, roles: payload.roles })
  } catch (error) {
    if (error instanceof KeysUnavailableError) throw error // our failure, not the client's
    return invalid('The token is invalid or expired.')
  }
}
