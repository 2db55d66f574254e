import { z } from 'zod'
import { fail, ok, type Result } from './errors'

/** `?limit=&cursor=` on every list. */
export const ListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
})
export type ListQuery = z.infer<typeof ListQuerySchema>

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

/** An opaque cursor over a (sort key, id) position: base64url of JSON. */
export function encodeCursor(position: readonly [string | number, string]): string {
  return btoa(JSON.stringify(position)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')
}

/** Decodes a cursor; null if it was not made by encodeCursor (a 400 for the caller). */
export function decodeCursor(cursor: string): [string | number, string] | null {
  try {
    const value = JSON.parse(atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))) as unknown
    if (Array.isArray(value) && value.length === 2 && ['string', 'number'].includes(typeof value[0]) && typeof value[1] === 'string') {
      return [value[0] as string | number, value[1]]
    }
    return null
  } catch {
    return null
  }
}

/** A list position: after this (sort key, id). */
export type Position = readonly [string, string]

/** Reads a cursor made by `encodeCursor` over a (string, id) position; anything else is a 400 naming `cursor`. */
export function positionOf(cursor: string | undefined): Result<Position | null> {
  if (cursor === undefined) return ok(null)
  const decoded = decodeCursor(cursor)
  if (!decoded || typeof decoded[0] !== 'string') {
    return fail({ code: 'validation_failed', errors: [{ path: 'cursor', message: 'is not a cursor this list handed out' }] })
  }
  return ok([decoded[0], decoded[1]])
}
