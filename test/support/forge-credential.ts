import { env } from 'cloudflare:workers'
import { generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose'
import type { TestBindings } from './service-client'

/** The gateway's real signing key, as the test configuration hands it over. */
const gatewayJwk = JSON.parse((env as unknown as TestBindings).TEST_GATEWAY_PRIVATE_KEY) as JWK
export const GATEWAY_KID = gatewayJwk.kid as string

export interface ForgeOptions {
  /** Claims merged over a valid anonymous credential's claims. */
  claims?: JWTPayload
  /** Header fields merged over the valid header. */
  header?: Record<string, unknown>
  /** Sign with this key instead of the gateway's. */
  key?: CryptoKey
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** The claims of a valid anonymous credential for this service. */
function validClaims(audience: string): JWTPayload {
  const now = nowSeconds()
  return { iss: 'gateway', aud: audience, sub: 'anonymous', roles: [], rid: crypto.randomUUID(), iat: now, exp: now + 60 }
}

/**
 * Mints gateway credentials for a service that are valid except for what a test overrides: the
 * building block for expired, misaddressed and forged credentials.
 */
export async function forgeCredential(audience: string, options: ForgeOptions = {}): Promise<string> {
  const claims: JWTPayload = { ...validClaims(audience), ...options.claims }
  const header = { alg: 'ES256', kid: GATEWAY_KID, typ: 'gateway+jwt', ...options.header }
  const key = options.key ?? ((await importJWK(gatewayJwk, 'ES256')) as CryptoKey)
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key)
}

/** A fresh ES256 key nobody in the system trusts. */
export async function strangerKey(): Promise<CryptoKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true })
  return privateKey
}

/** A token with `alg: none`: a header and payload, no signature. */
export function unsignedCredential(audience: string, claims: JWTPayload = {}): string {
  const encode = (value: object) => btoa(JSON.stringify(value)).replaceAll('=', '').replaceAll('+', '-').replaceAll('/', '_')
  return `${encode({ alg: 'none', typ: 'gateway+jwt' })}.${encode({ ...validClaims(audience), rid: 'rid-unsigned', ...claims })}.`
}

/** A token signed HS256 with the gateway's kid as the secret: the algorithm-confusion attack. */
export async function hs256Credential(audience: string): Promise<string> {
  const now = nowSeconds()
  return new SignJWT({ roles: [], rid: 'rid-hs256-test' })
    .setProtectedHeader({ alg: 'HS256', kid: GATEWAY_KID })
    .setIssuer('gateway')
    .setAudience(audience)
    .setSubject('anonymous')
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(new TextEncoder().encode(GATEWAY_KID))
}
