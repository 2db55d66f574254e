import { createCredentialSigner } from '../../../../platform/auth/internal-credential'

type Audience = 'inventory' | 'payments'
type Sign = ReturnType<typeof createCredentialSigner>

/** Key import is costly: one signer per isolate, rebuilt only if the key changes. */
let cached: { key: string | undefined; sign: Sign } | null = null

/** A fresh credential, signed as orders, for one RPC call to `audience`. */
export async function rpcCredential(env: { SERVICE_PRIVATE_KEY?: string }, audience: Audience, requestId: string): Promise<string> {
  if (!cached || cached.key !== env.SERVICE_PRIVATE_KEY)
    cached = { key: env.SERVICE_PRIVATE_KEY, sign: createCredentialSigner(env.SERVICE_PRIVATE_KEY, 'orders') }
  return cached.sign(audience, { principal: null, requestId })
}
