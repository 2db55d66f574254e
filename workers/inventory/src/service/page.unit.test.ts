import { describe, expect, it } from 'vitest'
import { decodeCursor } from '../../../../shared-contracts/pagination'
import { pageOf } from './page'

const row = (n: number) => ({ id: `prd_${n}`, created_at: `2026-01-01T00:00:0${n}.000Z` })

describe('pageOf', () => {
  it('answers all rows and no cursor when there is no extra row', () => {
    expect(pageOf([row(1), row(2)], 2)).toEqual({ items: [row(1), row(2)], next_cursor: null })
    expect(pageOf([], 20)).toEqual({ items: [], next_cursor: null })
  })

  it('drops the extra row and points the cursor at the last row answered', () => {
    const page = pageOf([row(1), row(2), row(3)], 2)
    expect(page.items).toEqual([row(1), row(2)])
    expect(decodeCursor(page.next_cursor!)).toEqual([row(2).created_at, row(2).id])
  })
})
