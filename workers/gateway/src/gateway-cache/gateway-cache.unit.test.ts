// biome-ignore-all lint/suspicious/noDuplicateTestHooks: `before` and `after` here are the gateway cache's own stages, not vitest hooks
import { describe, expect, it } from 'vitest'
import { FRESH_UNTIL_HEADER } from '../../../../platform/cache/http-cache'
import { defineConfig } from '../../../../platform/env/config'
import { after, before, gatewayCacheFrom, NO_GATEWAY_CACHE, type GatewayCacheRequest } from './gateway-cache'
import { GATEWAY_CACHE_VARS, gatewayCacheOptionsOf } from './options'
import { GatewayCacheStore } from './store'

/** The GATEWAY_CACHE* vars alone, parsed as the gateway's config parses them, and the cache they give. */
const gatewayCacheOptions = defineConfig(GATEWAY_CACHE_VARS, gatewayCacheOptionsOf)
const gatewayCache = (env: object) => gatewayCacheFrom(gatewayCacheOptions(env))

// The gateway's cache with an injected clock; the real forward path is in test/e2e/cache.test.ts.
const T0 = 1_000_000
function setUp({ maxEntries = 100, maxBytes = 100_000, maxTtlMs = 5_000 } = {}) {
  let time = T0
  const store = new GatewayCacheStore({ maxEntries, maxBytes, maxTtlMs, now: () => time })
  return { store, advance: (ms: number) => (time += ms) }
}

const TARGET = 'https://inventory.internal/api/v1/products/prd_1'
const read = (headers: Record<string, string> = {}, method = 'GET', target = TARGET, service = 'inventory'): GatewayCacheRequest => ({
  method,
  headers: new Headers(headers),
  service,
  target,
})

function answer(body = '{"price_cents":1500}', headers: Record<string, string> = {}, status = 200): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': 'application/json',
      ETag: '"abc"',
      'Cache-Control': 'public, max-age=5',
      'X-Cache': 'L1 hit',
      [FRESH_UNTIL_HEADER]: String(T0 + 1_000),
      'X-Request-Id': 'first-request',
      ...headers,
    },
  })
}

/** A read through the cache: a hit, or the given service answer (kept if it may be). */
async function through(store: GatewayCacheStore, request: GatewayCacheRequest, service: () => Response = () => answer()) {
  const looked = before(store, request)
  const response = looked.kind === 'hit' ? looked.response : await after(store, looked, service())
  return { kind: looked.kind, response, body: await response.text() }
}

describe('the gateway cache of anonymous public reads', () => {
  it('answers a second anonymous read from memory: same status, body and headers, never the internal header or the old request id', async () => {
    const { store } = setUp()
    const miss = await through(store, read())
    expect(miss).toMatchObject({ kind: 'miss', body: '{"price_cents":1500}' })
    expect(miss.response.headers.has(FRESH_UNTIL_HEADER)).toBe(false)
    const hit = await through(store, read(), () => answer('{"price_cents":9999}'))
    expect(hit).toMatchObject({ kind: 'hit', body: '{"price_cents":1500}' })
    expect(hit.response.status).toBe(200)
    expect(Object.fromEntries(hit.response.headers)).toEqual({
      'content-type': 'application/json',
      etag: '"abc"',
      'cache-control': 'public, max-age=5',
      'x-cache': 'L1 hit',
    })
    expect((await through(store, read())).body).toBe('{"price_cents":1500}')
  })

  it('answers If-None-Match with the kept ETag with a bodiless 304', async () => {
    const { store } = setUp()
    await through(store, read())
    const revalidated = await through(store, read({ 'If-None-Match': 'W/"abc"' }))
    expect(revalidated).toMatchObject({ kind: 'hit', body: '' })
    expect(revalidated.response.status).toBe(304)
    expect(revalidated.response.headers.get('ETag')).toBe('"abc"')
    expect((await through(store, read({ 'If-None-Match': '"other"' }))).response.status).toBe(200)
  })

  it('keeps an answer until its fresh-until, and never longer than the cap', async () => {
    const t = setUp({ maxTtlMs: 500 })
    await through(t.store, read())
    t.advance(499)
    expect((await through(t.store, read())).kind).toBe('hit')
    t.advance(1)
    expect((await through(t.store, read())).kind).toBe('miss') // the cap (500) before fresh-until (1000)
    t.advance(499) // kept again at T0 + 500, until its fresh-until T0 + 1000
    expect((await through(t.store, read())).kind).toBe('hit')
    t.advance(1)
    expect((await through(t.store, read())).kind).toBe('miss')
    const late = await through(t.store, read(), () => answer(undefined, { [FRESH_UNTIL_HEADER]: String(T0 + 1_000) }))
    expect(late.kind).toBe('miss')
    expect((await through(t.store, read())).kind).toBe('miss') // already past its fresh-until: not kept
  })

  it('never serves or keeps a read with Authorization', async () => {
    const { store } = setUp()
    expect((await through(store, read({ Authorization: 'Bearer x' }))).kind).toBe('bypass')
    expect((await through(store, read())).kind).toBe('miss')
    expect((await through(store, read({ Authorization: 'Bearer x' }))).kind).toBe('bypass')
  })

  it.each([
    ['private', { 'Cache-Control': 'public, private' }],
    ['no-store', { 'Cache-Control': 'no-store' }],
    ['no-cache', { 'Cache-Control': 'public, no-cache' }],
    ['not public', { 'Cache-Control': 'max-age=5' }],
    ['a Vary on Authorization', { Vary: 'Accept, Authorization' }],
    ['Vary: *', { Vary: '*' }],
    ['a Set-Cookie', { 'Set-Cookie': 'a=b' }],
    ['no fresh-until', { [FRESH_UNTIL_HEADER]: '' }],
    ['a fresh-until that is not a time', { [FRESH_UNTIL_HEADER]: 'soon' }],
  ])('never keeps an answer with %s', async (_label, headers) => {
    const { store } = setUp()
    const first = await through(store, read(), () => answer(undefined, headers))
    expect(first.kind).toBe('miss')
    expect(first.response.headers.has(FRESH_UNTIL_HEADER)).toBe(false)
    expect((await through(store, read())).kind).toBe('miss')
  })

  it('keeps only 200s, and keeps a Vary on Accept apart by Accept', async () => {
    const { store } = setUp()
    await through(store, read(), () => answer('{}', {}, 404))
    expect((await through(store, read(), () => answer(undefined, { Vary: 'Accept, Accept-Encoding' }))).kind).toBe('miss')
    expect((await through(store, read())).kind).toBe('hit')
    expect((await through(store, read({ Accept: 'text/html' }))).kind).toBe('miss')
  })

  it('a write through the gateway drops its service’s entries, and a fill begun before it is not kept', async () => {
    const { store } = setUp()
    const orders = read({}, 'GET', 'https://orders.internal/api/v1/things', 'orders')
    await through(store, read())
    await through(store, orders)
    const pending = before(store, read({}, 'GET', `${TARGET}?fields=all`))
    const write = before(store, read({}, 'PATCH'))
    expect(write.kind).toBe('write')
    await after(store, pending, answer())
    expect((await through(store, read())).kind).toBe('miss')
    expect((await through(store, read({}, 'GET', `${TARGET}?fields=all`))).kind).toBe('miss')
    expect((await through(store, orders)).kind).toBe('hit')
    await after(store, write, new Response(null, { status: 204 }))
    expect((await through(store, read())).kind).toBe('miss') // dropped again once the write answered
    expect((await through(store, read({}, 'HEAD'))).kind).toBe('bypass')
    expect((await through(store, read())).kind).toBe('hit') // HEAD is no write
  })

  it('stays within its bounds of entries and bytes', async () => {
    const byEntries = setUp({ maxEntries: 2 })
    for (const id of ['a', 'b', 'c']) await through(byEntries.store, read({}, 'GET', `${TARGET}${id}`))
    expect(byEntries.store.usage.entries).toBe(2)
    expect((await through(byEntries.store, read({}, 'GET', `${TARGET}a`))).kind).toBe('miss')
    const byBytes = setUp({ maxBytes: 300 })
    for (const id of ['a', 'b', 'c']) await through(byBytes.store, read({}, 'GET', `${TARGET}${id}`), () => answer('x'.repeat(100)))
    expect(byBytes.store.usage.bytes).toBeLessThanOrEqual(300)
    expect(byBytes.store.usage.entries).toBeLessThan(3)
  })

  it('is off with GATEWAY_CACHE=off: every read goes to the service', async () => {
    const off = gatewayCache({ GATEWAY_CACHE: 'off' })
    expect(off).toBe(NO_GATEWAY_CACHE)
    expect(off.before(read()).kind).toBe('bypass')
    expect(off.before(read({}, 'PATCH')).kind).toBe('bypass')
    const passed = await off.after({ kind: 'bypass' }, answer())
    expect(passed.headers.has(FRESH_UNTIL_HEADER)).toBe(false)
  })

  it('is on by default: a repeated anonymous read is answered from memory', async () => {
    const on = gatewayCache({})
    const first = on.before(read())
    expect(first.kind).toBe('miss')
    // Fresh for another second by the real clock (this cache reads Date.now).
    await on.after(first, answer(undefined, { [FRESH_UNTIL_HEADER]: String(Date.now() + 4_000) }))
    expect(on.before(read()).kind).toBe('hit')
  })
})

describe('gatewayCacheOptions', () => {
  it('has the documented defaults', () => {
    expect(gatewayCacheOptions({})).toEqual({ enabled: true, maxEntries: 1000, maxBytes: 4 * 1024 * 1024 })
    expect(gatewayCacheOptions({ GATEWAY_CACHE: '', GATEWAY_CACHE_MAX_BYTES: ' ' }).enabled).toBe(true)
  })

  it.each([
    ['GATEWAY_CACHE', 'no'],
    ['GATEWAY_CACHE_MAX_ENTRIES', '0'],
    ['GATEWAY_CACHE_MAX_BYTES', 'lots'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => gatewayCacheOptions({ [name]: value })).toThrow(name)
  })
})
