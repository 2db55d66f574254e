import { createLocalJWKSet, errors, type JSONWebKeySet, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose'

export interface JwksCacheOptions {
  /** Fetches the current JWKS from the users service. */
  load: () => Promise<JSONWebKeySet>
  /** How long a fetched key set is trusted before it is refreshed. */
  maxAgeMs: number
  /** An unknown `kid` refetches at most this often, so garbage kids cannot flood the users service. */
  cooldownMs: number
  now?: () => number
}

type KeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>

/**
 * The verification keys, cached per isolate. An unknown `kid` (a rotation) triggers a refetch,
 * at most once per cooldown; concurrent refetches share one request.
 */
export function createJwksCache({ load, maxAgeMs, cooldownMs, now = Date.now }: JwksCacheOptions): KeyResolver {
  let current: { resolve: ReturnType<typeof createLocalJWKSet>; fetchedAt: number } | null = null
  let inflight: Promise<void> | null = null

  async function refresh(): Promise<void> {
    inflight ??= load()
      .then((jwks) => {
        current = { resolve: createLocalJWKSet(jwks), fetchedAt: now() }
      })
      .finally(() => {
        inflight = null
      })
    await inflight
  }

  return async function resolveKey(header, token) {
    if (!current || now() - current.fetchedAt > maxAgeMs) await refresh()
    try {
      return await current!.resolve(header, token)
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || now() - current!.fetchedAt < cooldownMs) throw error
      await refresh()
      return current!.resolve(header, token)
    }
  }
}
