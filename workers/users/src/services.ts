import type { MiddlewareHandler } from 'hono'
import { createSessionsRepo } from './repo/sessions-repo'
import { createUsersRepo } from './repo/users-repo'
import { createAccountService } from './service/account-service'
import { ensureDevAdmin } from './service/dev-admin'
import { replicaReads } from '../../../platform/db/read-replica'
import { RecentWrites } from './service/recent-writes'
import { createSessionsService } from './service/sessions-service'
import { createTokenIssuer, type TokenIssuer } from './service/tokens'
import { createUsersService } from './service/users-service'
import type { Env } from './env'
import type { Caller } from '../../../platform/auth/internal-credential'
import type { UsersConfig } from './config'
import type { AccountService } from './service/account-service'
import type { SessionsService } from './service/sessions-service'
import type { UsersService } from './service/users-service'

/** Key import is costly: one token issuer per isolate, rebuilt only when the config changes. */
let issuer: { config: UsersConfig; tokens: TokenIssuer } | null = null
function tokenIssuer(config: UsersConfig): TokenIssuer {
  if (issuer?.config !== config) issuer = { config, tokens: createTokenIssuer(config.tokens) }
  return issuer.tokens
}

/** The users this isolate changed lately: one set per isolate, as every request's services share it. */
const isolateWrites = new RecentWrites()

/** The services of users over one database, with the clock they read and the writes they remember (tests pass their own). */
export function createServices(
  db: D1Database,
  tokens: TokenIssuer,
  { now = () => new Date(), writtenHere = new RecentWrites() }: { now?: () => Date; writtenHere?: RecentWrites } = {},
) {
  const repo = createUsersRepo(db)
  const replica = () => createUsersRepo(replicaReads(db))
  const sessionsRepo = createSessionsRepo(db)
  const sessions = createSessionsService({ sessions: sessionsRepo, users: repo, tokens, now })
  const users = createUsersService({ repo, replica, tokens, sessions, writtenHere, now })
  const account = createAccountService({ repo, sessionsRepo, sessions, writtenHere, now })
  return { repo, services: { users, sessions, account } }
}

let adminBootstrap: Promise<void> | null = null

/** Builds the services a request needs, once, and sets them on the context. */
export function services(): MiddlewareHandler<UsersEnv> {
  return async function services(c, next) {
    const config = c.var.config
    const { repo, services: built } = createServices(c.env.DB, tokenIssuer(config), { writtenHere: isolateWrites })
    const { users } = built
    adminBootstrap ??= ensureDevAdmin(config.devAdmin, repo, users).catch((error: unknown) => {
      adminBootstrap = null // try again on the next request
      throw error
    })
    await adminBootstrap
    c.set('services', built)
    await next()
  }
}

/** The Hono env of this Worker's app: its bindings, and what its middleware sets on the context. */
export interface UsersEnv {
  Bindings: Env
  Variables: {
    requestId: string
    caller: Caller
    config: UsersConfig
    services: { users: UsersService; sessions: SessionsService; account: AccountService }
  }
}
