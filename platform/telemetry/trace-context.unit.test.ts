import { describe, expect, it } from 'vitest'
import { currentTraceparent, parseTraceparent, validTraceparent, withSpan } from './trace-context'

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'

describe('W3C trace context', () => {
  it('parses a traceparent into a remote span context', () => {
    expect(parseTraceparent(TRACEPARENT)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
    })
  })

  it('rejects malformed or all-zero ids', () => {
    expect(parseTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeUndefined()
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7')).toBeUndefined()
    expect(parseTraceparent(42)).toBeUndefined()
    expect(validTraceparent(`${TRACEPARENT}x`)).toBeUndefined()
    expect(validTraceparent(TRACEPARENT.toUpperCase())).toBe(TRACEPARENT)
  })

  it('has no traceparent and runs functions unchanged when nothing is traced', async () => {
    expect(currentTraceparent()).toBeUndefined()
    expect(withSpan('sync', { parent: TRACEPARENT }, () => 7)).toBe(7)
    await expect(withSpan('async', {}, async () => 8)).resolves.toBe(8)
    expect(() =>
      withSpan('throws', {}, () => {
        throw new Error('boom')
      }),
    ).toThrow('boom')
  })
})
