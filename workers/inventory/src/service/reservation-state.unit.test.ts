import { describe, expect, it } from 'vitest'
import { decide } from './reservation-state'

describe('decide', () => {
  it('releases and commits a reserved reservation', () => {
    expect(decide('reserved', 'release')).toEqual({ kind: 'apply', to: 'released' })
    expect(decide('reserved', 'commit')).toEqual({ kind: 'apply', to: 'committed' })
  })

  it('makes a repeated transition a no-op', () => {
    expect(decide('released', 'release')).toEqual({ kind: 'noop', status: 'released' })
    expect(decide('committed', 'commit')).toEqual({ kind: 'noop', status: 'committed' })
  })

  it('refuses to cross from one final state to the other', () => {
    expect(decide('committed', 'release')).toMatchObject({ kind: 'fail', error: { code: 'conflict' } })
    expect(decide('released', 'commit')).toMatchObject({ kind: 'fail', error: { code: 'conflict' } })
  })

  it('releases an order without a reservation by remembering it as released', () => {
    expect(decide(null, 'release')).toEqual({ kind: 'release_unreserved' })
  })

  it('cannot commit what was never reserved', () => {
    expect(decide(null, 'commit')).toMatchObject({ kind: 'fail', error: { code: 'not_found' } })
  })
})
