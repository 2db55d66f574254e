import { describe, expect, it } from 'vitest'
import { componentOf, summarizeProfile } from './profile.mjs'

describe('CPU profile attribution', () => {
  it('names a component by package or project folder', () => {
    expect(componentOf('node_modules/jose/dist/webapi/lib/jws_sign.js')).toBe('jose')
    expect(componentOf('node_modules/@opentelemetry/api/build/src/api/context.js')).toBe('@opentelemetry/api')
    expect(componentOf('platform/telemetry/log.ts')).toBe('platform/telemetry/log')
  })

  it('attributes self time to the bundled module a function starts in, idle left out', () => {
    const frame = (functionName: string, lineNumber: number, url = 'index.js') => ({
      functionName,
      url,
      lineNumber,
      columnNumber: 0,
      scriptId: '1',
    })
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', -1, '') },
        { id: 2, callFrame: frame('sign', 15) },
        { id: 3, callFrame: frame('write', 42) },
        { id: 4, callFrame: frame('(idle)', -1, '') },
      ],
      samples: [2, 2, 3, 4, 2],
      // Each sample lasts until the next one: 100 µs, then the last sample's length is unknown.
      timeDeltas: [0, 100, 100, 100, 100],
    }
    const markers: Array<[number, string]> = [
      [10, 'node_modules/jose/dist/webapi/lib/jws_sign.js'],
      [40, 'platform/telemetry/log.ts'],
    ]
    const summary = summarizeProfile(profile, markers)
    expect(summary.idleMs).toBeCloseTo(0.1)
    expect(summary.busyMs).toBeCloseTo(0.3)
    expect(summary.components.map(({ key, share }) => [key, Number(share.toFixed(2))])).toEqual([
      ['jose', 0.67],
      ['platform/telemetry/log', 0.33],
    ])
    expect(summary.functions[0]?.key).toBe('sign — node_modules/jose/dist/webapi/lib/jws_sign.js')
  })
})
