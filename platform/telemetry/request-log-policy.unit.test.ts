import { describe, expect, it } from 'vitest'
import { defineConfig } from '../env/config'
import { REQUEST_LOG_VARS, requestLogOptionsOf, sampleBucket, shouldLogRequest } from './request-log-policy'

/** The two vars alone, parsed as the gateway's config parses them. */
const requestLogOptions = defineConfig(REQUEST_LOG_VARS, requestLogOptionsOf)

const ids = Array.from({ length: 2000 }, (_, index) => `req-${index}-${index * 7919}`)
const ok = (requestId: string) => ({ status: 200, durationMs: 3, requestId })

describe('shouldLogRequest', () => {
  const sampled = { sampleRate: 0.05, slowMs: 1000 }

  it('always logs a 4xx or 5xx answer except 429, whatever the rate', () => {
    const none = { sampleRate: 0, slowMs: 1000 }
    for (const status of [400, 401, 403, 404, 409, 422, 500, 502, 503, 504]) {
      expect(shouldLogRequest(none, { status, durationMs: 1, requestId: 'any-request' })).toBe(true)
    }
    expect(shouldLogRequest(none, { status: 429, durationMs: 1, requestId: 'any-request' })).toBe(false)
  })

  it('always logs a slow request, from slowMs on', () => {
    const none = { sampleRate: 0, slowMs: 1000 }
    expect(shouldLogRequest(none, { status: 200, durationMs: 999, requestId: 'any-request' })).toBe(false)
    expect(shouldLogRequest(none, { status: 200, durationMs: 1000, requestId: 'any-request' })).toBe(true)
    expect(shouldLogRequest(none, { status: 429, durationMs: 4000, requestId: 'any-request' })).toBe(true)
  })

  it('logs every request at rate 1 and none of the rest at rate 0', () => {
    expect(ids.every((id) => shouldLogRequest({ sampleRate: 1, slowMs: 1000 }, ok(id)))).toBe(true)
    expect(ids.some((id) => shouldLogRequest({ sampleRate: 0, slowMs: 1000 }, ok(id)))).toBe(false)
  })

  it('samples about the rate of the rest, and decides the same for the same request id every time', () => {
    const logged = ids.filter((id) => shouldLogRequest(sampled, ok(id)))
    expect(logged.length).toBeGreaterThan(ids.length * 0.03)
    expect(logged.length).toBeLessThan(ids.length * 0.07)
    expect(ids.filter((id) => shouldLogRequest(sampled, ok(id)))).toEqual(logged)
    // A 429 of a sampled request id is logged as its 200 would be.
    expect(ids.filter((id) => shouldLogRequest(sampled, { ...ok(id), status: 429 }))).toEqual(logged)
  })

  it('spreads ids that differ in their last character alone (a counter) over the range', () => {
    const counter = Array.from({ length: 10 }, (_, index) => sampleBucket(`request-id-${index}`))
    expect(counter.filter((bucket) => bucket < 0.5).length).toBeGreaterThan(1)
    expect(counter.filter((bucket) => bucket >= 0.5).length).toBeGreaterThan(1)
  })

  it('keeps a sampled request id at every higher rate (one bucket per id)', () => {
    const at = (sampleRate: number) => new Set(ids.filter((id) => shouldLogRequest({ sampleRate, slowMs: 1000 }, ok(id))))
    const low = at(0.05)
    const high = at(0.5)
    for (const id of low) expect(high.has(id)).toBe(true)
    for (const id of ids) expect(sampleBucket(id)).toBeGreaterThanOrEqual(0)
    for (const id of ids) expect(sampleBucket(id)).toBeLessThan(1)
  })
})

describe('requestLogOptions', () => {
  it('defaults to every request and 1000 ms when the vars are absent or empty', () => {
    expect(requestLogOptions({})).toEqual({ sampleRate: 1, slowMs: 1000 })
    expect(requestLogOptions({ LOG_SAMPLE_RATE: '', LOG_SLOW_MS: '' })).toEqual({ sampleRate: 1, slowMs: 1000 })
  })

  it('reads a rate from 0 to 1 and a whole number of ms', () => {
    expect(requestLogOptions({ LOG_SAMPLE_RATE: '0.05', LOG_SLOW_MS: '250' })).toEqual({ sampleRate: 0.05, slowMs: 250 })
    expect(requestLogOptions({ LOG_SAMPLE_RATE: '0' })).toEqual({ sampleRate: 0, slowMs: 1000 })
  })

  it('refuses anything else, naming the var', () => {
    for (const rate of ['1.5', '-0.1', 'half', 'NaN']) {
      expect(() => requestLogOptions({ LOG_SAMPLE_RATE: rate })).toThrow(/LOG_SAMPLE_RATE/)
    }
    for (const slow of ['0', '-5', '1.5', 'slow']) expect(() => requestLogOptions({ LOG_SLOW_MS: slow })).toThrow(/LOG_SLOW_MS/)
  })
})
