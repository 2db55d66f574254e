import { generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose'
import { testEnv } from './users'

/** The gateway's real signing key, as the test configuration hands it over. */
const gatewayJwk = JSON.parse(testEnv.TEST_GATEWAY_PRIVATE_KEY) as JWK
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

/**
 * Mints gateway credentials that are valid except for what a test overrides: the building block
 * for expired, misaddressed and forged credentials.
 */
export async function forgeCredential(options: ForgeOptions = {}): Promise<string> {
  const now = nowSeconds()
  const claims: JWTPayload = {
    iss: 'gateway',
    aud: 'users',
    sub: 'anonymous',
    roles: [],
    rid: crypto.randomUUID(),
    iat: now,
    exp: now + 60,
    ...options.claims,
  }
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
export function unsignedCredential(claims: JWTPayload = {}): string {
  const encode = (value: object) => btoa(JSON.stringify(value)).replaceAll('=', '').replaceAll('+', '-').replaceAll('/', '_')
  const now = nowSeconds()
  const payload = { iss: 'gateway', aud: 'users', sub: 'anonymous', roles: [], rid: 'rid-unsigned', iat: now, exp: now + 60, ...claims }
  return `${encode({ alg: 'none', typ: 'gateway+jwt' })}.${encode(payload)}.`
}
