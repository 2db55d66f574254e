import type { Principal } from '../../../../platform/auth/principal'
import { ok, type Result } from '../../../../shared-contracts/errors'
import type { NotificationListQuery } from '../../../../shared-contracts/notifications'
import { encodeCursor, type Page } from '../../../../shared-contracts/pagination'
import type { NotificationsRepo } from '../repo/notifications-repo'
import { toPublic, type PublicNotification } from './notification'

export type NotificationsService = ReturnType<typeof createNotificationsService>

export function createNotificationsService({ repo }: { repo: NotificationsRepo }) {
  return {
    /** The caller's own notifications, newest first; the cursor is the last item's position. */
    async listMine(principal: Principal, query: NotificationListQuery): Promise<Result<Page<PublicNotification>>> {
      const records = await repo.listForUser(principal.id, query.limit + 1, query.cursor ?? null)
      const items = records.slice(0, query.limit)
      const last = items.at(-1)
      const next_cursor = records.length > query.limit && last ? encodeCursor([last.created_at, last.id]) : null
      return ok({ items: items.map(toPublic), next_cursor })
    },
  }
}
