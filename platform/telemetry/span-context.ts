import { isSpanContextValid, trace } from '@opentelemetry/api'

export interface SpanIds {
  trace_id: string
  span_id: string
}

/**
 * The ids of the active span (set by the tracing instrumentation), or null when nothing is being
 * traced: no tracer registered, or a non-recording context.
 */
export function activeSpanIds(): SpanIds | null {
  const context = trace.getActiveSpan()?.spanContext()
  if (!context || !isSpanContextValid(context)) return null
  return { trace_id: context.traceId, span_id: context.spanId }
}
