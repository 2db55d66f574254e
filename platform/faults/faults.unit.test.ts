import { afterEach, describe, expect, it } from 'vitest'
import { injectFault, injectedRpcFault, setFault } from './faults'

const ENABLED = { FAULT_INJECTION: 'enabled' }

afterEach(() => setFault({ mode: 'none', rate: 0 }))

describe('fault injection', () => {
  it('never injects where FAULT_INJECTION is not enabled', async () => {
    setFault({ mode: 'error', rate: 1 })
    expect(await injectFault({})).toBe(false)
    expect(await injectFault({ FAULT_INJECTION: 'disabled' })).toBe(false)
  })

  it('fails the configured share of calls', async () => {
    setFault({ mode: 'error', rate: 0.5 })
    expect(await injectFault(ENABLED, () => 0.49)).toBe(true)
    expect(await injectFault(ENABLED, () => 0.5)).toBe(false)
  })

  it('answers an RPC call with a transient service_unavailable', async () => {
    setFault({ mode: 'error', rate: 1 })
    expect(await injectedRpcFault(ENABLED)).toMatchObject({ ok: false, error: { code: 'service_unavailable' } })
    setFault({ mode: 'none', rate: 1 })
    expect(await injectedRpcFault(ENABLED)).toBeNull()
  })

  it('delays instead of failing in latency mode', async () => {
    setFault({ mode: 'latency', rate: 1, latency_ms: 5 })
    expect(await injectFault(ENABLED)).toBe(false)
  })

  it('holds, then fails, in timeout mode', async () => {
    setFault({ mode: 'timeout', rate: 1, latency_ms: 5 })
    expect(await injectFault(ENABLED)).toBe(true)
  })
})
