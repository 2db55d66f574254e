import { z } from 'zod'

/** A list position: after this (sort key, id). */
export type Position = [sortKey: string, id: string]

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

/** An opaque cursor over a (sort key, id) position: base64url of JSON. */
export function encodeCursor(position: readonly [string | number, string]): string {
  return btoa(JSON.stringify(position)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')
}

/** Decodes a cursor; null if it was not made by encodeCursor. */
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

/**
 * `cursor`: a cursor a list handed out (`encodeCursor` over a (string, id) position), parsed to
 * that position. Anything else is a 400 `validation_failed` naming `cursor`, on every list.
 */
export const CursorSchema = z
  .string()
  .min(1)
  .max(512)
  .transform((cursor, context): Position => {
    const decoded = decodeCursor(cursor)
    if (decoded && typeof decoded[0] === 'string') return [decoded[0], decoded[1]]
    context.addIssue({ code: 'custom', message: 'is not a cursor this list handed out' })
    return z.NEVER
  })

/** `limit`: how many items a page holds at most. */
export const LimitSchema = z.coerce.number().int().min(1).max(100).default(20)

/** `?limit=&cursor=` on every list; a list with more parameters extends it. */
export const ListQuerySchema = z.strictObject({ limit: LimitSchema, cursor: CursorSchema.optional() })
export type ListQuery = z.infer<typeof ListQuerySchema>
