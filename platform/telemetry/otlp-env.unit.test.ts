import { describe, expect, it } from 'vitest'
import { parseOtlpHeaders, positiveInt, samplingRatio, tracingEnabled } from './otlp-env'

describe('the OpenTelemetry environment', () => {
  it('traces only where an endpoint is set', () => {
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true)
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBe(false)
    expect(tracingEnabled({})).toBe(false)
    expect(tracingEnabled(undefined)).toBe(false)
  })

  it('reads OTEL_EXPORTER_OTLP_HEADERS as k=v pairs with URL-encoded values', () => {
    expect(parseOtlpHeaders('x-honeycomb-team=abc, Authorization=Basic%20dXNlcjpwYXNz')).toEqual({
      'x-honeycomb-team': 'abc',
      Authorization: 'Basic dXNlcjpwYXNz',
    })
    expect(parseOtlpHeaders('k=a=b,=skipped,novalue')).toEqual({ k: 'a=b' })
    expect(parseOtlpHeaders(undefined)).toEqual({})
  })

  it('takes a sampling ratio in [0, 1] and falls back to every trace', () => {
    expect(samplingRatio('0.25')).toBe(0.25)
    expect(samplingRatio('0')).toBe(0)
    expect(samplingRatio(undefined)).toBe(1)
    expect(samplingRatio('2')).toBe(1)
    expect(samplingRatio('half')).toBe(1)
  })

  it('takes a positive integer timeout or the default', () => {
    expect(positiveInt('2000', 5000)).toBe(2000)
    expect(positiveInt('-1', 5000)).toBe(5000)
    expect(positiveInt(undefined, 5000)).toBe(5000)
  })
})
