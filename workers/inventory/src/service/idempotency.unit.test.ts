import { describe, expect, it } from 'vitest'
import { fingerprint, replay } from './idempotency'

describe('fingerprint', () => {
  it('is a SHA-256 hex digest, the same for the same operation and request', async () => {
    const print = await fingerprint('reserve', { order_id: 'o1', items: [{ product_id: 'p', quantity: 1 }] })
    expect(print).toMatch(/^[0-9a-f]{64}$/)
    expect(await fingerprint('reserve', { order_id: 'o1', items: [{ product_id: 'p', quantity: 1 }] })).toBe(print)
  })

  it('differs by operation and by any field of the request', async () => {
    const base = await fingerprint('release', { order_id: 'o1' })
    expect(await fingerprint('commit', { order_id: 'o1' })).not.toBe(base)
    expect(await fingerprint('release', { order_id: 'o2' })).not.toBe(base)
  })
})

describe('replay', () => {
  const stored = { operation: 'commit', fingerprint: 'abc', result: { ok: true as const, value: { order_id: 'o1' } } }

  it('answers the stored result for the same operation and request', () => {
    expect(replay(stored, 'commit', 'abc')).toEqual({ ok: true, value: { order_id: 'o1' } })
  })

  it('answers stored failures too', () => {
    const failed = { ...stored, result: { ok: false as const, error: { code: 'out_of_stock' as const } } }
    expect(replay(failed, 'commit', 'abc')).toEqual({ ok: false, error: { code: 'out_of_stock' } })
  })

  it('refuses the key for another request or another operation', () => {
    expect(replay(stored, 'commit', 'other')).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } })
    expect(replay(stored, 'release', 'abc')).toMatchObject({ ok: false, error: { code: 'idempotency_key_reused' } })
  })
})
