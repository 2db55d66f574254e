import { importJWK, type JWK } from 'jose'

/** Every signature in the system is ES256: asymmetric, small, native to WebCrypto. */
export const SIGNING_ALG = 'ES256'

/** Parses a JWK from a secret or var; bad configuration fails loudly, at first use. */
export function parseJwk(json: string | undefined, name: string): JWK {
  if (!json) throw new Error(`${name} is not configured`)
  let jwk: unknown
  try {
    jwk = JSON.parse(json)
  } catch {
    throw new Error(`${name} is not valid JSON`)
  }
  if (typeof jwk !== 'object' || jwk === null || (jwk as JWK).kty !== 'EC' || typeof (jwk as JWK).kid !== 'string') {
    throw new Error(`${name} must be an EC JWK with a kid`)
  }
  return jwk as JWK
}

/** Parses a JWKS (`{ keys: [...] }`) from a secret or var. */
export function parseJwks(json: string | undefined, name: string): { keys: JWK[] } {
  if (!json) throw new Error(`${name} is not configured`)
  const parsed = JSON.parse(json) as { keys?: unknown }
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) throw new Error(`${name} must be a JWKS with keys`)
  return { keys: parsed.keys as JWK[] }
}

/** The public half of an EC private JWK, as published in a JWKS. */
export function toPublicJwk(jwk: JWK): JWK {
  const { kty, crv, x, y, kid } = jwk
  return { kty, crv, x, y, kid, alg: SIGNING_ALG, use: 'sig' } as JWK
}

/**
 * Starts importing a key at once (done once per isolate, not per request). A bad key surfaces
 * where the key is used, never as an unhandled rejection.
 */
export function importKey(jwk: JWK): Promise<CryptoKey | Uint8Array> {
  const key = importJWK(jwk, SIGNING_ALG)
  key.catch(() => undefined)
  return key
}
