// The signing keys of a deployed environment, derived from the configs. Each key pair has one
// holder, whose Worker secret is the private half (never on disk, never printed); its public
// half is not a secret and is recorded in the holder's [env.<env>.vars] as `<NAME>_PUBLIC_KEY`,
// from which the vars of the Workers that verify it are written. A pair counts as present when
// both the secret and that record exist: then a run keeps it, so keys rotate only when asked.
import { generateKeyPair } from '../dev-keys.mjs'

const GATEWAY = 'gateway'
const TOKEN_ISSUER = 'users'

/**
 * The key pairs of the system: the gateway's credential key, the access-token key, and one
 * key per RPC caller (a Worker with a service binding to an entrypoint signs its calls).
 */
export function keyPairsFor(workers) {
  const pairs = []
  const gateway = workers.find(({ name }) => name === GATEWAY)
  if (gateway) pairs.push({ holder: GATEWAY, secret: 'GATEWAY_PRIVATE_KEY', record: 'GATEWAY_PUBLIC_KEY' })
  if (workers.some(({ name }) => name === TOKEN_ISSUER))
    pairs.push({ holder: TOKEN_ISSUER, secret: 'JWT_PRIVATE_KEY', record: 'JWT_PUBLIC_KEY' })
  for (const { name, config } of workers) {
    if ((config.services ?? []).some((binding) => binding.entrypoint))
      pairs.push({ holder: name, secret: 'SERVICE_PRIVATE_KEY', record: 'SERVICE_PUBLIC_KEY' })
  }
  return pairs
}

/** The public JWK a pair's holder has on record in its config, or null. */
export function recordedPublicKey(workers, pair) {
  const value = workers.find(({ name }) => name === pair.holder)?.config.vars?.[pair.record]
  return typeof value === 'string' && value !== '' ? JSON.parse(value) : null
}

/** A new pair for `pair`: its secret's value and the public JWK to record. */
export async function freshKey(pair, env) {
  const { privateJwk, publicJwk } = await generateKeyPair(`${pair.holder}-${env}`)
  return { secretValue: JSON.stringify(privateJwk), publicJwk }
}

/**
 * The vars every Worker needs from the recorded public keys: each of the gateway's binding
 * targets verifies its credentials (GATEWAY_PUBLIC_KEYS), each RPC target trusts its callers
 * (TRUSTED_CALLERS). `publicOf(holder, record)` answers a recorded public JWK.
 */
export function verifierVars(workers, publicOf) {
  const byScript = new Map(workers.map((worker) => [worker.config.name, worker.name]))
  const vars = Object.fromEntries(workers.map(({ name }) => [name, {}]))
  for (const { name, config } of workers) {
    for (const binding of config.services ?? []) {
      const target = byScript.get(binding.service)
      if (!target) continue
      if (name === GATEWAY && !binding.entrypoint) {
        vars[target].GATEWAY_PUBLIC_KEYS = JSON.stringify({ keys: [publicOf(GATEWAY, 'GATEWAY_PUBLIC_KEY')] })
      } else if (binding.entrypoint) {
        const trusted = vars[target].TRUSTED_CALLERS ? JSON.parse(vars[target].TRUSTED_CALLERS) : {}
        trusted[name] = { keys: [publicOf(name, 'SERVICE_PUBLIC_KEY')] }
        vars[target].TRUSTED_CALLERS = JSON.stringify(trusted)
      }
    }
  }
  return vars
}
