import { afterEach, describe, expect, it, vi } from 'vitest'
import { callUsers, testEnv } from '../../../../test/support/users'

const admin = { id: 'usr_admin', roles: ['customer', 'admin'] as ('customer' | 'admin')[] }
const putFault = (body: unknown) => callUsers('/internal/faults', { method: 'PUT', principal: admin, body })

afterEach(async () => {
  expect((await putFault({ mode: 'none', rate: 0 })).status).toBe(200)
})

// Fault injection is a local-development tool (FAULT_INJECTION=enabled, as in these tests).
describe('an injected fault survives a restart of local dev', () => {
  it('is kept in the service database and read back by a fresh module, as after a restart', async () => {
    expect((await putFault({ mode: 'error', rate: 1 })).status).toBe(200)
    expect((await callUsers('/api/v1/users/me', { principal: { id: 'usr_nobody', roles: ['customer'] } })).status).toBe(500)

    // A restart loads the module anew: nothing of the old isolate's memory is left.
    vi.resetModules()
    const restarted = await import('../../../../platform/faults/faults')
    expect(await restarted.injectFault(testEnv, () => 0)).toBe(true)
  })

  it('a lifted fault stays lifted after a restart', async () => {
    expect((await putFault({ mode: 'error', rate: 1 })).status).toBe(200)
    expect((await putFault({ mode: 'none', rate: 0 })).status).toBe(200)

    vi.resetModules()
    const restarted = await import('../../../../platform/faults/faults')
    expect(await restarted.injectFault(testEnv, () => 0)).toBe(false)
  })
})
