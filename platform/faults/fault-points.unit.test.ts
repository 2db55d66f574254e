import { afterEach, describe, expect, it } from 'vitest'
import { atFaultPoint, setPointFault } from './fault-points'

const ENABLED = { FAULT_INJECTION: 'enabled' }

afterEach(() => {
  setPointFault('a', null)
  setPointFault('b', null)
})

function counted() {
  let calls = 0
  return { call: async () => ++calls, calls: () => calls }
}

describe('fault points', () => {
  it('never injects where FAULT_INJECTION is not enabled', async () => {
    setPointFault('a', 'error')
    const { call, calls } = counted()
    expect(await atFaultPoint({}, 'a', call)).toBe(1)
    expect(await atFaultPoint({ FAULT_INJECTION: 'disabled' }, 'a', call)).toBe(2)
    expect(calls()).toBe(2)
  })

  it('fails the call at its point without making it, and only there', async () => {
    setPointFault('a', 'error')
    const { call, calls } = counted()
    await expect(atFaultPoint(ENABLED, 'a', call)).rejects.toThrow('injected fault at a')
    expect(calls()).toBe(0)
    expect(await atFaultPoint(ENABLED, 'b', call)).toBe(1)
  })

  it('makes the call, then loses its answer', async () => {
    setPointFault('a', 'lost_answer')
    const { call, calls } = counted()
    await expect(atFaultPoint(ENABLED, 'a', call)).rejects.toThrow('the answer was lost')
    expect(calls()).toBe(1)
  })

  it('is lifted with null', async () => {
    setPointFault('a', 'error')
    setPointFault('a', null)
    expect(await atFaultPoint(ENABLED, 'a', counted().call)).toBe(1)
  })
})
