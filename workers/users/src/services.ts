import type { MiddlewareHandler } from 'hono'
import { createUsersRepo } from './repo/users-repo'
import { ensureDevAdmin } from './service/dev-admin'
import { createTokenIssuer, type TokenIssuer } from './service/tokens'
import { createUsersService } from './service/users-service'
import type { Env, UsersEnv } from './env'

/** Key import is costly: one token issuer per isolate, rebuilt only if its secrets change. */
let issuer: { env: string; tokens: TokenIssuer } | null = null
function tokenIssuer(env: Env): TokenIssuer {
  const fingerprint = `${env.JWT_PRIVATE_KEY}|${env.JWT_PREVIOUS_PUBLIC_KEY}|${env.JWT_ISSUER}|${env.JWT_AUDIENCE}`
  if (issuer?.env !== fingerprint) {
    const tokens = createTokenIssuer({
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      privateKeyJson: env.JWT_PRIVATE_KEY,
      previousPublicKeyJson: env.JWT_PREVIOUS_PUBLIC_KEY,
    })
    issuer = { env: fingerprint, tokens }
  }
  return issuer.tokens
}

let adminBootstrap: Promise<void> | null = null

/** Builds the services a request needs, once, and sets them on the context. */
export function services(): MiddlewareHandler<UsersEnv> {
  return async function services(c, next) {
    const repo = createUsersRepo(c.env.DB)
    const users = createUsersService({ repo, tokens: tokenIssuer(c.env), now: () => new Date() })
    adminBootstrap ??= ensureDevAdmin(
      { environment: c.env.ENVIRONMENT, email: c.env.ADMIN_EMAIL, password: c.env.ADMIN_PASSWORD },
      repo,
      users,
    ).catch((error: unknown) => {
      adminBootstrap = null // try again on the next request
      throw error
    })
    await adminBootstrap
    c.set('services', { users })
    await next()
  }
}
