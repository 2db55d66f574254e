import { SignJWT, type JWK } from 'jose'
import { importKey, parseJwk, SIGNING_ALG, toPublicJwk } from '../../../../platform/auth/keys'
import type { TokenResponse, User } from '../../../../shared-contracts/users'

/** Access tokens live 15 minutes. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60

export interface TokenConfig {
  issuer: string
  audience: string
  privateKeyJson: string | undefined
  previousPublicKeyJson: string | undefined
}

/** An access token answer; a session adds its refresh token (sessions-service.ts). */
export type AccessTokenResponse = Omit<TokenResponse, 'refresh_token'>

export interface TokenIssuer {
  issue(user: User): Promise<AccessTokenResponse>
  /** The public keys that verify tokens: the current one and, during a rotation, the previous. */
  jwks(): { keys: JWK[] }
}

export function createTokenIssuer(config: TokenConfig): TokenIssuer {
  const privateJwk = parseJwk(config.privateKeyJson, 'JWT_PRIVATE_KEY')
  // A public key here would publish fine and then fail every login: refuse it at creation.
  if (typeof privateJwk.d !== 'string') throw new Error('JWT_PRIVATE_KEY must be a private key (it has no "d")')
  const previous = config.previousPublicKeyJson ? toPublicJwk(parseJwk(config.previousPublicKeyJson, 'JWT_PREVIOUS_PUBLIC_KEY')) : null
  const keys = previous ? [toPublicJwk(privateJwk), previous] : [toPublicJwk(privateJwk)]
  const signingKey = importKey(privateJwk)
  return {
    async issue(user) {
      const token = await new SignJWT({ roles: user.roles })
        .setProtectedHeader({ alg: SIGNING_ALG, kid: privateJwk.kid as string, typ: 'at+jwt' })
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setSubject(user.id)
        .setIssuedAt()
        .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
        .setJti(crypto.randomUUID())
        .sign(await signingKey)
      return { access_token: token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS }
    },
    jwks: () => ({ keys }),
  }
}
