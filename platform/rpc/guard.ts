import { decodeJwt } from 'jose'
import { fail, type Result } from '../../shared-contracts/errors'
import { createCredentialVerifier, type Caller } from '../auth/internal-credential'

export interface RpcGuardBindings {
  /** JSON: `{ "<calling service>": { "keys": [<public JWK>...] } }` — who may call, with which keys. */
  TRUSTED_CALLERS?: string
}

export interface RpcCaller extends Caller {
  /** The calling service: the credential's verified issuer. */
  service: string
}

type Verify = ReturnType<typeof createCredentialVerifier>

const denied = fail({ code: 'unauthenticated' as const, detail: 'A valid service credential is required.' })

/**
 * Zero trust for RPC: every method of an internal entrypoint takes the caller's credential as its
 * first argument — a short-lived ES256 JWT the calling service signed for this service's
 * audience — and checks it against the calling service's public keys and the method's
 * allowed callers before doing anything.
 */
export function createRpcGuard(service: string) {
  let cached: { config: string | undefined; verifiers: Map<string, Verify> } | null = null

  function verifiers(config: string | undefined): Map<string, Verify> {
    if (cached?.config !== config) {
      const trusted = config ? (JSON.parse(config) as Record<string, unknown>) : {}
      const entries = Object.entries(trusted).map(
        ([caller, jwks]) => [caller, createCredentialVerifier(JSON.stringify(jwks), service, caller)] as const,
      )
      cached = { config, verifiers: new Map(entries) }
    }
    return cached!.verifiers
  }

  return async function verifyCaller(env: RpcGuardBindings, credential: unknown, allowed: readonly string[]): Promise<Result<RpcCaller>> {
    if (typeof credential !== 'string') return denied
    let issuer: unknown
    try {
      issuer = decodeJwt(credential).iss
    } catch {
      return denied
    }
    if (typeof issuer !== 'string' || !allowed.includes(issuer)) return denied
    const verify = verifiers(env.TRUSTED_CALLERS).get(issuer)
    if (!verify) return denied
    const result = await verify(credential)
    return result.ok ? { ok: true, value: { ...result.value, service: issuer } } : result
  }
}
