import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import type { LoginRequest, RegisterRequest, Role, TokenResponse, UpdateMeRequest, User } from '../../../../shared-contracts/users'
import type { Principal } from '../../../../platform/auth/principal'
import { createEvent } from '../../../../platform/events/envelope'
import { EVENT_TYPES } from '../../../../shared-contracts/events'
import type { UsersRepo } from '../repo/users-repo'
import { DECOY_HASH, hashPassword, verifyPassword } from './passwords'
import type { RecentWrites } from './recent-writes'
import type { SessionsService } from './sessions-service'
import type { TokenIssuer } from './tokens'

export interface UsersServiceDeps {
  repo: UsersRepo
  /** The same tables, read through a D1 session that a read replica may answer (platform/db/read-replica.ts). */
  replica: () => UsersRepo
  tokens: TokenIssuer
  sessions: SessionsService
  writtenHere: RecentWrites
  now: () => Date
}

export type UsersService = ReturnType<typeof createUsersService>

const newUserId = () => `usr_${crypto.randomUUID().replaceAll('-', '')}`

export function createUsersService({ repo, replica, tokens, sessions, writtenHere, now }: UsersServiceDeps) {
  return {
    /** Registers a customer and announces it (user.registered). A taken email is `email_taken`; nothing is written then. */
    async register(input: RegisterRequest, roles: Role[] = ['customer']): Promise<Result<User>> {
      if (await repo.findByEmail(input.email)) return fail({ code: 'email_taken' })
      const user: User = { id: newUserId(), email: input.email, name: input.name, roles, created_at: now().toISOString() }
      const registered = createEvent({
        service: 'users',
        type: EVENT_TYPES.userRegistered,
        subject: user.id,
        data: { user_id: user.id, email: user.email, name: user.name },
        now: new Date(user.created_at),
      })
      const inserted = await repo.insert(user, await hashPassword(input.password), registered)
      return inserted ? ok(user) : fail({ code: 'email_taken' })
    },

    /** Unknown email and wrong password answer alike, after the same amount of work. Success starts a session. */
    async login(input: LoginRequest): Promise<Result<TokenResponse>> {
      const stored = await repo.findByEmail(input.email)
      const matches = await verifyPassword(input.password, stored?.passwordHash ?? DECOY_HASH)
      if (!stored || !matches) return fail({ code: 'invalid_credentials' })
      return ok(await sessions.start(stored.user))
    },

    /**
     * Every signed-in `users/me` is this one query, so it goes to a read replica and not to the
     * one primary (docs/adr/0063). The primary answers instead for a user this isolate changed
     * lately (a client reads its own rename back), and confirms an account the replica does not
     * know, which may be younger than the replica's copy.
     */
    async me(principal: Principal): Promise<Result<User>> {
      const { id } = principal
      const user = writtenHere.has(id) ? await repo.findById(id) : ((await replica().findById(id)) ?? (await repo.findById(id)))
      return user ? ok(user) : fail({ code: 'not_found', detail: 'The account no longer exists.' })
    },

    async updateMe(principal: Principal, input: UpdateMeRequest): Promise<Result<User>> {
      const user = await repo.updateName(principal.id, input.name, now().toISOString())
      writtenHere.note(principal.id)
      return user ? ok(user) : fail({ code: 'not_found', detail: 'The account no longer exists.' })
    },

    jwks: () => tokens.jwks(),
  }
}
