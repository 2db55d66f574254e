import { createLocalJWKSet, errors, type JSONWebKeySet, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose'
import { singleFlight } from '../../../../platform/cache/single-flight'
import { createLogger } from '../../../../platform/telemetry/log'

const log = createLogger('gateway')

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

/** No key set could be loaded at all: the gateway cannot judge any token (a 503, not a 401). */
export class KeysUnavailableError extends Error {
  override name = 'KeysUnavailableError'
}

/**
 * The verification keys, cached per isolate. An unknown `kid` (a rotation) triggers a refetch,
 * at most once per cooldown; concurrent refetches share one request. When a refresh fails, the
 * last good key set stays in use (and the next attempt waits a cooldown); only when there has
 * never been one does verification fail, with KeysUnavailableError.
 */
export function createJwksCache({ load, maxAgeMs, cooldownMs, now = Date.now }: JwksCacheOptions): KeyResolver {
  let current: ReturnType<typeof createLocalJWKSet> | null = null
  let lastAttemptAt = Number.NEGATIVE_INFINITY
  let refreshAt = Number.NEGATIVE_INFINITY
  let refreshing = false
  // Requests share a refetch only as plain data (platform/cache/single-flight, docs/adr/0017):
  // the key set is left in `current`, and no request is woken by another's fetch.
  const flights = singleFlight<void>()

  async function loadKeys(): Promise<void> {
    lastAttemptAt = now()
    refreshing = true
    try {
      current = createLocalJWKSet(await load())
      refreshAt = now() + maxAgeMs
    } catch (cause) {
      if (current === null) throw new KeysUnavailableError(`the token signing keys could not be loaded: ${String(cause)}`, { cause })
      refreshAt = now() + cooldownMs
      log.warn('JWKS refresh failed; using the last key set', { error: cause })
    } finally {
      refreshing = false
    }
  }

  const refresh = () => flights('jwks', loadKeys)

  return async function resolveKey(header, token) {
    if (current === null || now() > refreshAt) await refresh()
    try {
      return await current!(header, token)
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error
      if (refreshing)
        await refresh() // join the refetch already under way
      else if (now() - lastAttemptAt >= cooldownMs) await refresh()
      else throw error
      return current!(header, token)
    }
  }
}
