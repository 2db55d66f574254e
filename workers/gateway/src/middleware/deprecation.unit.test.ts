import { describe, expect, it } from 'vitest'
import { deprecationHeadersOf } from './deprecation'

describe('deprecationHeadersOf', () => {
  it('writes RFC 9745 Deprecation, RFC 8594 Sunset and the successor Link', () => {
    expect(deprecationHeadersOf({ successor: '/api/v2/orders', since: '2026-01-01T00:00:00Z', sunset: '2027-07-01T00:00:00Z' })).toEqual({
      Deprecation: '@1767225600',
      Sunset: 'Thu, 01 Jul 2027 00:00:00 GMT',
      Link: '</api/v2/orders>; rel="successor-version", </docs>; rel="deprecation"; type="text/html"',
    })
  })

  it('refuses unreadable dates, or a sunset before the deprecation, when the gateway starts', () => {
    expect(() => deprecationHeadersOf({ successor: '/x', since: 'soon', sunset: '2027-07-01T00:00:00Z' })).toThrow(/Bad deprecation dates/)
    expect(() => deprecationHeadersOf({ successor: '/x', since: '2027-07-01T00:00:00Z', sunset: '2026-01-01T00:00:00Z' })).toThrow(
      /Bad deprecation dates/,
    )
  })
})
