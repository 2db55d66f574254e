import { describe, expect, it } from 'vitest'
import { createBulkhead } from './bulkhead'

describe('bulkhead', () => {
  it('admits up to its capacity, refuses the rest at once, and frees a slot on release (once)', () => {
    const bulkhead = createBulkhead(2)
    const a = bulkhead.tryEnter()
    const b = bulkhead.tryEnter()
    expect([a, b].every(Boolean)).toBe(true)
    expect(bulkhead.tryEnter()).toBeNull()
    a!()
    a!()
    expect(bulkhead.active).toBe(1)
    expect(bulkhead.tryEnter()).not.toBeNull()
    expect(bulkhead.tryEnter()).toBeNull()
  })

  it('fails at creation on a bad capacity', () => {
    expect(() => createBulkhead(0)).toThrow(/positive integer/)
  })
})
