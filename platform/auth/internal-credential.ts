import { jwtVerify, SignJWT, type JWTPayload } from 'jose'
import { fail, ok, type Result } from '../../shared-contracts/errors'
import { ROLES, type Role } from '../../shared-contracts/users'
import { Lru } from '../cache/lru'
import { importKey, parseJwk, parseJwks, SIGNING_ALG } from './keys'
import type { Principal } from './principal'
import { currentTraceparent, validTraceparent } from '../telemetry/trace-context'

/** The header that carries the gateway's per-request credential to an internal Worker. */
export const CREDENTIAL_HEADER = 'X-Gateway-Credential'
export const CREDENTIAL_ISSUER = 'gateway'
/** Short: a credential is minted per request and used at once. */
export const CREDENTIAL_TTL_SECONDS = 60
const MAX_CREDENTIAL_LENGTH = 4096

/** What an internal Worker learns from a valid credential. */
export interface Caller {
  principal: Principal | null
  requestId: string
  /**
   * The caller's span as a W3C `traceparent` (claim `tp`): how trace context crosses RPC calls,
   * which carry no headers. Signed with the rest, so a callee only parents its span on a context
   * its trusted caller vouched for.
   */
  traceparent?: string
}

export type Signer = (audience: string, caller: Caller) => Promise<string>

/**
 * Signs credentials with a caller's private key (the gateway's, or a service's for its RPC
 * calls); the key is imported once.
 */
export function createCredentialSigner(privateJwkJson: string | undefined, issuer = CREDENTIAL_ISSUER): Signer {
  const jwk = parseJwk(privateJwkJson, issuer === CREDENTIAL_ISSUER ? 'GATEWAY_PRIVATE_KEY' : 'SERVICE_PRIVATE_KEY')
  const key = importKey(jwk)
  return async function signCredential(audience, { principal, requestId, traceparent = currentTraceparent() }) {
    return new SignJWT({ roles: principal?.roles ?? [], rid: requestId, ...(traceparent ? { tp: traceparent } : {}) })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: jwk.kid as string, typ: 'gateway+jwt' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(principal?.id ?? 'anonymous')
      .setIssuedAt()
      .setExpirationTime(`${CREDENTIAL_TTL_SECONDS}s`)
      .sign(await key)
  }
}

export interface CredentialReuseOptions {
  /** How long one signed credential is reused; well under CREDENTIAL_TTL_SECONDS, so it arrives with most of its life left. */
  reuseMs: number
  maxEntries: number
  now?: () => number
}

export const DEFAULT_CREDENTIAL_REUSE: CredentialReuseOptions = { reuseMs: 15_000, maxEntries: 1_000 }

/**
 * `sign` with reuse (ADR 0002): a credential for one audience and principal (id and roles) is
 * signed once and sent again for `reuseMs`, when it carries no trace context — a `tp` claim
 * belongs to one request, so a caller with a trace context always gets a fresh credential. A
 * reused credential's `rid` names the request it was first signed for: the request id travels
 * in `X-Request-Id`, which internal Workers read (platform/http/internal-auth.ts).
 */
export function reuseCredentials<Audience extends string>(
  sign: (audience: Audience, caller: Caller) => Promise<string>,
  { reuseMs, maxEntries, now = Date.now }: CredentialReuseOptions = DEFAULT_CREDENTIAL_REUSE,
): (audience: Audience, caller: Caller) => Promise<string> {
  const signed = new Lru<string>({ maxEntries, maxBytes: maxEntries * MAX_CREDENTIAL_LENGTH, now })
  return async function reusedCredential(audience, caller) {
    const traceparent = caller.traceparent ?? currentTraceparent()
    if (traceparent) return sign(audience, { ...caller, traceparent })
    const { principal } = caller
    const key = principal ? `${audience}\n${principal.id}\n${principal.roles.join(',')}` : `${audience}\n`
    const reused = signed.get(key)
    if (reused !== undefined) return reused
    const credential = await sign(audience, caller)
    signed.set(key, credential, credential.length, reuseMs)
    return credential
  }
}

type Verifier = (token: string | undefined) => Promise<Result<Caller>>

function callerFrom(payload: JWTPayload): Caller | null {
  const { sub, roles, rid, tp } = payload
  if (typeof sub !== 'string' || typeof rid !== 'string' || !Array.isArray(roles)) return null
  if (!roles.every((role): role is Role => (ROLES as readonly unknown[]).includes(role))) return null
  const traceparent = validTraceparent(tp)
  return { principal: sub === 'anonymous' ? null : { id: sub, roles }, requestId: rid, ...(traceparent ? { traceparent } : {}) }
}

export interface VerifierOptions {
  /** Credentials verified and remembered at once, each until it expires (a credential is reused for 15 s). */
  maxEntries?: number
  now?: () => number
}

/**
 * Verifies a credential `issuer` signed for `audience`, against that issuer's public keys. A
 * credential that verified is remembered until it expires, so one reused by its signer for many
 * calls (reuseCredentials) costs one signature check, not one per call; a refused one never is.
 * The memory is per verifier, and a verifier is per key set: new keys start it afresh.
 */
export function createCredentialVerifier(
  jwksJson: string | undefined,
  audience: string,
  issuer = CREDENTIAL_ISSUER,
  { maxEntries = DEFAULT_CREDENTIAL_REUSE.maxEntries, now = Date.now }: VerifierOptions = {},
): Verifier {
  const { keys } = parseJwks(jwksJson, issuer === CREDENTIAL_ISSUER ? 'GATEWAY_PUBLIC_KEYS' : `the ${issuer} keys`)
  const imported = new Map(keys.map((jwk) => [jwk.kid, importKey(jwk)]))
  const denied = fail({ code: 'unauthenticated' as const, detail: 'A valid gateway credential is required.' })
  const verified = new Lru<Caller>({ maxEntries, maxBytes: maxEntries * MAX_CREDENTIAL_LENGTH, now })
  return async function verifyCredential(token) {
    if (!token || token.length > MAX_CREDENTIAL_LENGTH) return denied
    const known = verified.get(token)
    if (known !== undefined) return ok(known)
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = imported.get(header.kid)
          if (!key) throw new Error('unknown credential key')
          return key
        },
        {
          algorithms: [SIGNING_ALG],
          issuer,
          audience,
          requiredClaims: ['exp', 'iat', 'sub'],
          maxTokenAge: CREDENTIAL_TTL_SECONDS + 5,
          clockTolerance: 5,
          currentDate: new Date(now()),
        },
      )
      const caller = callerFrom(payload)
      if (!caller) return denied
      // Remembered no longer than the checks above would pass it: its expiry and its maximum age.
      const until = Math.min(Number(payload.exp) * 1000, (Number(payload.iat) + CREDENTIAL_TTL_SECONDS + 5) * 1000)
      if (until > now()) verified.set(token, caller, token.length, until - now())
      return ok(caller)
    } catch {
      return denied
    }
  }
}
