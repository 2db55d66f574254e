import { describe, expect, it } from 'vitest'
import { etagOf, noneMatchHits, showsCacheLevel } from './http-cache'

describe('etagOf', () => {
  it('is a quoted base64url SHA-256 of the body, the same for the same body', async () => {
    const tag = await etagOf('{"a":1}')
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{43}"$/)
    expect(await etagOf('{"a":1}')).toBe(tag)
    expect(await etagOf('{"a":2}')).not.toBe(tag)
  })
})

describe('noneMatchHits', () => {
  const tag = '"abc"'
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['"x",W/"abc"', true],
    ['*', true],
    ['"abd"', false],
    ['abc', false],
    ['', false],
  ])('If-None-Match %s → %s', (header, hit) => {
    expect(noneMatchHits(header, tag)).toBe(hit)
  })

  it('compares weakly when the current tag is weak', () => {
    expect(noneMatchHits('"abc"', 'W/"abc"')).toBe(true)
    expect(noneMatchHits(undefined, tag)).toBe(false)
  })
})

describe('showsCacheLevel', () => {
  it('shows X-Cache in development and tests only', () => {
    expect([showsCacheLevel('development'), showsCacheLevel('test'), showsCacheLevel('production'), showsCacheLevel(undefined)]).toEqual([
      true,
      true,
      false,
      false,
    ])
  })
})
