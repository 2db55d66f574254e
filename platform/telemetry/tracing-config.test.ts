import { SpanStatusCode, TraceFlags } from '@opentelemetry/api'
import type { LocalTrace } from '@microlabs/otel-cf-workers'
import { describe, expect, it } from 'vitest'
import { exportedTraces, traceConfig } from './tracing-config'

/** A stand-in for the library's record of one isolate's trace: only what the tail sampler reads. */
function localTrace({ sampled, failed, status }: { sampled: boolean; failed: boolean; status?: number }): LocalTrace {
  const localRootSpan = {
    attributes: status === undefined ? {} : { 'http.response.status_code': status },
    spanContext: () => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE }),
    status: { code: failed ? SpanStatusCode.ERROR : SpanStatusCode.OK },
  }
  return { traceId: 'a'.repeat(32), localRootSpan, spans: [] } as unknown as LocalTrace
}

describe('exportedTraces', () => {
  it('exports a sampled trace, and a failed one whether sampled or not', () => {
    expect(exportedTraces(localTrace({ sampled: true, failed: false }))).toBe(true)
    expect(exportedTraces(localTrace({ sampled: false, failed: true }))).toBe(true)
    expect(exportedTraces(localTrace({ sampled: true, failed: true }))).toBe(true)
  })

  it('exports a request answered with a 5xx, which the library does not mark failed', () => {
    expect(exportedTraces(localTrace({ sampled: false, failed: false, status: 500 }))).toBe(true)
    expect(exportedTraces(localTrace({ sampled: false, failed: false, status: 503 }))).toBe(true)
  })

  it('drops a trace that was neither sampled nor failed, a 4xx answer included', () => {
    expect(exportedTraces(localTrace({ sampled: false, failed: false }))).toBe(false)
    expect(exportedTraces(localTrace({ sampled: false, failed: false, status: 404 }))).toBe(false)
    expect(exportedTraces(localTrace({ sampled: false, failed: false, status: 200 }))).toBe(false)
  })

  it('is the tail sampler of every Worker, beside the configured ratio', () => {
    const config = traceConfig('gateway', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_SAMPLER_ARG: '0.1' })
    expect(config.sampling).toEqual({ headSampler: { ratio: 0.1, acceptRemote: true }, tailSampler: exportedTraces })
  })
})
