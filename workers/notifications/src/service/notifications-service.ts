import type { Principal } from '../../../../platform/auth/principal'
import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import type { NotificationListQuery } from '../../../../shared-contracts/notifications'
import { decodeCursor, encodeCursor, type Page } from '../../../../shared-contracts/pagination'
import type { NotificationsRepo } from '../repo/notifications-repo'
import { toPublic, type PublicNotification } from './notification'

export type NotificationsService = ReturnType<typeof createNotificationsService>

const badCursor = fail({
  code: 'validation_failed' as const,
  errors: [{ path: 'cursor', message: 'is not a cursor this list gave out' }],
})

export function createNotificationsService({ repo }: { repo: NotificationsRepo }) {
  return {
    /** The caller's own notifications, newest first; the cursor is the last item's position. */
    async listMine(principal: Principal, query: NotificationListQuery): Promise<Result<Page<PublicNotification>>> {
      let after: [string, string] | null = null
      if (query.cursor !== undefined) {
        const position = decodeCursor(query.cursor)
        if (!position || typeof position[0] !== 'string') return badCursor
        after = [position[0], position[1]]
      }
      const records = await repo.listForUser(principal.id, query.limit + 1, after)
      const items = records.slice(0, query.limit)
      const last = items.at(-1)
      const next_cursor = records.length > query.limit && last ? encodeCursor([last.created_at, last.id]) : null
      return ok({ items: items.map(toPublic), next_cursor })
    },
  }
}
