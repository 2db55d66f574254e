import { describe, expect, it } from 'vitest'
import { Hono } from 'hono'
import { defineConfig } from '../env/config'
import { BODY_LIMIT_VARS, bodyLimitsOf, DEFAULT_BODY_LIMITS, readBody, releaseUnreadBody } from './request-body'

/** The two vars alone, parsed as every Worker's config parses them. */
const bodyLimitsFrom = defineConfig(BODY_LIMIT_VARS, bodyLimitsOf)

const LIMITS = { maxBytes: 16, deadlineMs: 50 }

/** A body stream that serves `chunks` on demand and then stalls or ends; it counts reads and notes a cancel. */
function source(chunks: string[], { end = true } = {}) {
  const seen = { pulls: 0, cancelled: false }
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        seen.pulls += 1
        const next = chunks.shift()
        if (next !== undefined) controller.enqueue(new TextEncoder().encode(next))
        else if (end) controller.close()
        else return new Promise<void>(() => undefined)
      },
      cancel() {
        seen.cancelled = true
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, seen }
}

const post = (body: ReadableStream<Uint8Array> | string | null, headers: Record<string, string> = {}) =>
  new Request('https://api.example/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit)

describe('readBody', () => {
  it('answers the whole body of a request that arrives in pieces', async () => {
    const { stream } = source(['{"a":', '1}'])
    const read = await readBody(post(stream), LIMITS)
    expect(read.ok && new TextDecoder().decode(read.value!)).toBe('{"a":1}')
  })

  it('answers null for a request without a body or with an empty one', async () => {
    expect(await readBody(new Request('https://api.example/x', { method: 'POST' }), LIMITS)).toEqual({ ok: true, value: null })
    expect(await readBody(post(''), LIMITS)).toEqual({ ok: true, value: null })
  })

  it('refuses a declared length over the limit without reading a byte', async () => {
    const { stream, seen } = source(['x'.repeat(8)])
    const read = await readBody(post(stream, { 'Content-Length': '17' }), LIMITS)
    expect(read).toMatchObject({ ok: false, error: { code: 'payload_too_large' } })
    expect(seen.pulls).toBe(0)
  })

  it('refuses a streamed body as soon as it passes the limit, and cancels it', async () => {
    const { stream, seen } = source(['x'.repeat(10), 'x'.repeat(10), 'never read'], { end: false })
    expect(await readBody(post(stream), LIMITS)).toMatchObject({ ok: false, error: { code: 'payload_too_large' } })
    expect(seen.pulls).toBe(2)
    expect(seen.cancelled).toBe(true)
  })

  it('accepts a body of exactly the limit', async () => {
    const { stream } = source(['x'.repeat(16)])
    expect((await readBody(post(stream), LIMITS)).ok).toBe(true)
  })

  it('answers a body that stalls past the deadline with request_timeout, and cancels it', async () => {
    const { stream, seen } = source(['{"a":'], { end: false })
    expect(await readBody(post(stream), LIMITS)).toMatchObject({
      ok: false,
      error: { code: 'request_timeout', detail: 'The request body did not arrive within 50 ms.' },
    })
    expect(seen.cancelled).toBe(true)
  })

  it('answers a body whose client went away with request_timeout', async () => {
    const stream = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(new Error('connection reset')) })
    expect(await readBody(post(stream), LIMITS)).toMatchObject({ ok: false, error: { code: 'request_timeout' } })
  })
})

describe('bodyLimitsFrom', () => {
  it('takes the defaults when the vars are absent, the vars otherwise', () => {
    expect(bodyLimitsFrom({})).toEqual(DEFAULT_BODY_LIMITS)
    expect(bodyLimitsFrom({ MAX_BODY_BYTES: '2048', CLIENT_BODY_TIMEOUT_MS: '2500' })).toEqual({ maxBytes: 2048, deadlineMs: 2500 })
  })

  it.each(['0', '-1', '1.5', 'ten', '1e400'])('refuses %s, naming the variable', (value) => {
    expect(() => bodyLimitsFrom({ CLIENT_BODY_TIMEOUT_MS: value })).toThrow(/CLIENT_BODY_TIMEOUT_MS/)
    expect(() => bodyLimitsFrom({ MAX_BODY_BYTES: value })).toThrow(/MAX_BODY_BYTES/)
  })
})

describe('releaseUnreadBody', () => {
  it('cancels the body of a request answered without reading it, and leaves a read one alone', async () => {
    const app = new Hono()
    app.use(releaseUnreadBody())
    app.post('/refused', (c) => c.json({ code: 'not_found' }, 404))
    app.post('/read', async (c) => c.text(await c.req.text()))
    const refused = source(['{"a":'], { end: false })
    expect((await app.request('/refused', { method: 'POST', body: refused.stream, duplex: 'half' } as RequestInit)).status).toBe(404)
    expect(refused.seen.cancelled).toBe(true)
    const read = source(['{}'])
    expect(await (await app.request('/read', { method: 'POST', body: read.stream, duplex: 'half' } as RequestInit)).text()).toBe('{}')
    expect(read.seen.cancelled).toBe(false)
  })
})
