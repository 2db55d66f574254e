import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import { EVENT_TYPES } from '../../../../shared-contracts/events'
import type { AdminUser, ChangePasswordRequest, DeleteMeRequest } from '../../../../shared-contracts/users'
import type { Principal } from '../../../../platform/auth/principal'
import { createEvent } from '../../../../platform/events/envelope'
import type { SessionsRepo } from '../repo/sessions-repo'
import type { StoredUser, UsersRepo } from '../repo/users-repo'
import { hashPassword, verifyPassword } from './passwords'
import type { RecentWrites } from './recent-writes'
import type { SessionsService } from './sessions-service'

export interface AccountServiceDeps {
  repo: UsersRepo
  sessionsRepo: SessionsRepo
  sessions: SessionsService
  /** Told of an erasure, so this isolate's next `users/me` of the user asks the primary. */
  writtenHere: RecentWrites
  now: () => Date
}

export type AccountService = ReturnType<typeof createAccountService>

const GONE = fail({ code: 'not_found' as const, detail: 'The account no longer exists.' })
const WRONG_PASSWORD = fail({ code: 'invalid_credentials' as const, detail: 'The password is wrong.' })

/** Password change, deletion and the admin's view: what changes an account as a whole (docs/adr/0027, 0028). */
export function createAccountService({ repo, sessionsRepo, sessions, writtenHere, now }: AccountServiceDeps) {
  /** The caller's account, if the password they sent is its password. */
  async function reauthenticate(principal: Principal, password: string): Promise<Result<StoredUser>> {
    const stored = await repo.findStoredById(principal.id)
    if (!stored) return GONE
    return (await verifyPassword(password, stored.passwordHash)) ? ok(stored) : WRONG_PASSWORD
  }

  return {
    /** A new password ends every session of the user but the one whose refresh token came along. */
    async changePassword(principal: Principal, input: ChangePasswordRequest): Promise<Result<null>> {
      const account = await reauthenticate(principal, input.current_password)
      if (!account.ok) return account
      const keep = await sessions.liveSessionOf(principal.id, input.refresh_token)
      const at = now().toISOString()
      await repo.commit([
        repo.setPasswordStatement(principal.id, await hashPassword(input.new_password), at),
        sessionsRepo.revokeAllStatement(principal.id, at, keep),
      ])
      return ok(null)
    },

    /**
     * Deletes the account at once (credentials, personal data, sessions) and announces it
     * (user.deleted), in one batch: the other services then forget the person on their own.
     */
    async deleteMe(principal: Principal, input: DeleteMeRequest): Promise<Result<null>> {
      const account = await reauthenticate(principal, input.password)
      if (!account.ok) return account
      const { user } = account.value
      const deletedAt = now()
      const deleted = createEvent({
        service: 'users',
        type: EVENT_TYPES.userDeleted,
        subject: user.id,
        data: { user_id: user.id, deleted_at: deletedAt.toISOString() },
        now: deletedAt,
      })
      await repo.commit([...sessionsRepo.eraseStatements(user.id), ...repo.eraseStatements(user, deletedAt.toISOString(), deleted)])
      writtenHere.note(user.id)
      return ok(null)
    },

    /** An account's state for an admin: active or deleted, never its email or name. */
    async adminView(id: string): Promise<Result<AdminUser>> {
      const user = await repo.findById(id)
      if (user) return ok({ id: user.id, status: 'active', roles: user.roles, created_at: user.created_at, deleted_at: null })
      const deleted = await repo.findDeleted(id)
      return deleted ? ok(deleted) : fail({ code: 'not_found', detail: 'No account has this id.' })
    },
  }
}
