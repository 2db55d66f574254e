import { fail, ok, type Result } from '../../../../shared-contracts/errors'
import { decodeCursor, encodeCursor, type Page } from '../../../../shared-contracts/pagination'

/** A list position: after this (created_at, id). */
export type Position = readonly [string, string]

/** Reads a cursor made by `pageOf`; anything else is a 400 naming `cursor`. */
export function positionOf(cursor: string | undefined): Result<Position | null> {
  if (cursor === undefined) return ok(null)
  const decoded = decodeCursor(cursor)
  if (!decoded || typeof decoded[0] !== 'string') {
    return fail({ code: 'validation_failed', errors: [{ path: 'cursor', message: 'is not a cursor this list handed out' }] })
  }
  return ok([decoded[0], decoded[1]])
}

/** One page from up to `limit + 1` rows in list order: the extra row only says there is more. */
export function pageOf<T extends { created_at: string; id: string }>(rows: readonly T[], limit: number): Page<T> {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items, next_cursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null }
}
