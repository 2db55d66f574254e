import { encodeCursor, type Page } from '../../../../shared-contracts/pagination'

/** One page from up to `limit + 1` rows in list order: the extra row only says there is more. */
export function pageOf<T extends { created_at: string; id: string }>(rows: readonly T[], limit: number): Page<T> {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items, next_cursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null }
}
