import { SpanKind, withSpan } from '../telemetry/trace-context'

/**
 * Runs the processing of one queue message in a CONSUMER span whose parent is the producer's
 * span, restored from the CloudEvents `traceparent` extension (ADR 16: parent, not link, so an
 * order's trace includes what its events caused). Messaging attributes follow the OpenTelemetry
 * semantic conventions.
 */
export function traceMessage<T>(service: string, body: unknown, fn: () => Promise<T>): Promise<T> {
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const type = typeof envelope.type === 'string' ? envelope.type : 'unknown'
  return withSpan(
    `process ${type}`,
    {
      kind: SpanKind.CONSUMER,
      parent: typeof envelope.traceparent === 'string' ? envelope.traceparent : undefined,
      attributes: {
        'messaging.system': 'cloudflare_queues',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.consumer.group.name': service,
        ...(typeof envelope.id === 'string' ? { 'messaging.message.id': envelope.id } : {}),
        ...(typeof envelope.source === 'string' ? { 'cloudevents.event_source': envelope.source } : {}),
        'cloudevents.event_type': type,
      },
    },
    fn,
  )
}
