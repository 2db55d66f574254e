import {
  isHeadSampled,
  isRootErrorSpan,
  multiTailSampler,
  OTLPExporter,
  type TailSampleFn,
  type TraceConfig,
} from '@microlabs/otel-cf-workers'
import { BoundedExporter } from './bounded-exporter'
import { DEFAULT_EXPORT_TIMEOUT_MS, parseOtlpHeaders, positiveInt, samplingRatio, type TracingVars } from './otlp-env'

export { tracingEnabled, type TracingVars } from './otlp-env'

/**
 * A request answered with a 5xx. The library marks a root span failed only when the handler
 * throws; ours answer their errors (problem+json 500, a downstream 5xx passed on), so the status
 * code the library records on the root span is what tells.
 */
const answeredServerError: TailSampleFn = ({ localRootSpan }) => Number(localRootSpan.attributes['http.response.status_code'] ?? 0) >= 500

/**
 * Which of an isolate's traces are exported: those its head sampler kept (the ratio
 * `OTEL_TRACES_SAMPLER_ARG` of new traces, and whatever a sampled caller's `traceparent` says), and
 * every one that failed, sampled or not (docs/adr/0069): its root span marked failed (a throw, a
 * queue message to be retried: `markActiveSpanFailed`) or a 5xx answer. Spans are recorded
 * either way; the ones not exported cost their recording, not their export.
 */
export const exportedTraces = multiTailSampler([isHeadSampled, isRootErrorSpan, answeredServerError])

/** The library's config for one Worker (`service.name` is the Worker's name). */
export function traceConfig(service: string, env: TracingVars): TraceConfig {
  const endpoint = (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').trim().replace(/\/+$/, '')
  const exporter = new OTLPExporter({ url: `${endpoint}/v1/traces`, headers: parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS) })
  return {
    service: { name: service },
    exporter: new BoundedExporter(exporter, positiveInt(env.OTEL_EXPORTER_OTLP_TIMEOUT, DEFAULT_EXPORT_TIMEOUT_MS)),
    sampling: {
      headSampler: { ratio: samplingRatio(env.OTEL_TRACES_SAMPLER_ARG), acceptRemote: true },
      tailSampler: exportedTraces,
    },
  }
}
