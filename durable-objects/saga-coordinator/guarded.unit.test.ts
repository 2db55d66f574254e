import { afterEach, describe, expect, it, vi } from 'vitest'
import { guarded } from './guarded'

afterEach(() => {
  vi.useRealTimers()
})

describe('guarded step calls', () => {
  it('passes an answer through', async () => {
    expect(await guarded(async () => ({ kind: 'business', error: 'out_of_stock', reason: 'out_of_stock' }), 1_000)).toEqual({
      kind: 'business',
      error: 'out_of_stock',
      reason: 'out_of_stock',
    })
  })

  it('a thrown error is transient', async () => {
    expect(await guarded(() => Promise.reject(new Error('Network connection lost.')), 1_000)).toEqual({
      kind: 'transient',
      error: 'error: Network connection lost.',
    })
  })

  it('no answer within the timeout is transient', async () => {
    vi.useFakeTimers()
    const pending = guarded(() => new Promise(() => undefined), 15_000)
    await vi.advanceTimersByTimeAsync(15_000)
    expect(await pending).toEqual({ kind: 'transient', error: 'timeout: no answer within 15000 ms' })
  })
})
