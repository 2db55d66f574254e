import { env, exports } from 'cloudflare:workers'
import { createCredentialSigner, CREDENTIAL_HEADER } from '../../../platform/auth/internal-credential'
import type { Principal } from '../../../platform/auth/principal'

const sign = createCredentialSigner(env.TEST_GATEWAY_PRIVATE_KEY)

export interface CallOptions {
  method?: string
  body?: unknown
  principal?: Principal | null
  /** Leave out the gateway credential, or send this one instead. */
  credential?: string | null
  audience?: string
}

/** Calls the users Worker as the gateway would: with a credential signed for it. */
export async function callUsers(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers({ 'Content-Type': 'application/json' })
  const credential =
    options.credential !== undefined
      ? options.credential
      : await sign(options.audience ?? 'users', { principal: options.principal ?? null, requestId: crypto.randomUUID() })
  if (credential !== null) headers.set(CREDENTIAL_HEADER, credential)
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  return exports.default.fetch(new Request(`https://users.internal${path}`, { method: options.method ?? 'GET', headers, body }))
}

export const uniqueEmail = (label = 'user') => `${label}-${crypto.randomUUID().slice(0, 8)}@example.com`
