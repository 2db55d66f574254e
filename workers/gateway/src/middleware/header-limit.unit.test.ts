import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { headerLimit } from './header-limit'

const app = (options?: Parameters<typeof headerLimit>[0]) => new Hono().use(headerLimit(options)).get('/', (c) => c.text('passed'))
const headers = (count: number, value = 'v') => Object.fromEntries(Array.from({ length: count }, (_, i) => [`x-h${i}`, value]))

describe('headerLimit', () => {
  it('lets a request with headers within both limits through', async () => {
    expect(await (await app({ maxCount: 3, maxBytes: 100 }).request('/', { headers: headers(3) })).text()).toBe('passed')
  })

  it('answers one header too many 431 as problem+json', async () => {
    const response = await app({ maxCount: 3, maxBytes: 1000 }).request('/', { headers: headers(4) })
    expect(response.status).toBe(431)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(await response.json()).toMatchObject({ code: 'header_too_large', detail: 'Send at most 3 headers and 1000 bytes of them.' })
  })

  it('counts names and values against the byte limit', async () => {
    // 'x-h0' and a 6-byte value: 10 bytes.
    expect((await app({ maxBytes: 10 }).request('/', { headers: headers(1, 'vvvvvv') })).status).toBe(200)
    expect((await app({ maxBytes: 10 }).request('/', { headers: headers(1, 'vvvvvvv') })).status).toBe(431)
  })

  it('refuses limits that are not positive when the gateway starts', () => {
    expect(() => headerLimit({ maxCount: 0 })).toThrow('header limits must be positive')
    expect(() => headerLimit({ maxBytes: -1 })).toThrow('header limits must be positive')
  })
})
