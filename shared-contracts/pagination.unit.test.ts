import { describe, expect, it } from 'vitest'
import { encodeCursor, ListQuerySchema } from './pagination'

/** The fields a query is refused for, with their messages. */
const refusals = (query: Record<string, string>) => {
  const parsed = ListQuerySchema.safeParse(query)
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
}

describe('the list query', () => {
  it('starts at the beginning without a cursor, 20 items a page', () => {
    expect(ListQuerySchema.parse({})).toEqual({ limit: 20 })
  })

  it('reads back the position of a cursor a page handed out', () => {
    const cursor = encodeCursor(['2026-01-01T00:00:00.000Z', 'prd_1'])
    expect(ListQuerySchema.parse({ cursor, limit: '5' })).toEqual({ limit: 5, cursor: ['2026-01-01T00:00:00.000Z', 'prd_1'] })
  })

  it.each([
    ['garbage', '%%%'],
    ['a numeric position', encodeCursor([5, 'prd_1'])],
    ['JSON of another shape', btoa('{"a":1}')],
    ['an empty cursor', ''],
    ['a cursor too long to be one', 'x'.repeat(600)],
  ])('refuses %s, naming cursor', (_label, cursor) => {
    expect(refusals({ cursor })).toEqual([{ path: 'cursor', message: expect.any(String) }])
  })

  it('says the same of every cursor it did not hand out', () => {
    for (const cursor of ['%%%', encodeCursor([5, 'prd_1']), btoa('{"a":1}')]) {
      expect(refusals({ cursor })).toEqual([{ path: 'cursor', message: 'is not a cursor this list handed out' }])
    }
  })

  it('refuses an unknown parameter and a limit out of range', () => {
    expect(refusals({ page: '2' })).toHaveLength(1)
    expect(refusals({ limit: '0' })).toEqual([{ path: 'limit', message: expect.any(String) }])
    expect(refusals({ limit: '101' })).toEqual([{ path: 'limit', message: expect.any(String) }])
  })
})
