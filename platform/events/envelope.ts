import type { CloudEvent, EventData, EventType } from '../../shared-contracts/events'
import { currentTraceparent } from '../telemetry/trace-context'

export interface NewEvent<T extends EventType> {
  /** The producing service, e.g. `users`; becomes the CloudEvents `source` `/services/users`. */
  service: string
  type: T
  subject: string
  data: EventData<T>
  /** Default: the active span, so a consumer can continue the trace (CloudEvents Distributed Tracing extension). */
  traceparent?: string
  now?: Date
}

/** Builds a CloudEvents 1.0 envelope with a fresh id. */
export function createEvent<T extends EventType>(event: NewEvent<T>): CloudEvent<EventData<T>> {
  const traceparent = event.traceparent ?? currentTraceparent()
  return {
    specversion: '1.0',
    id: crypto.randomUUID(),
    source: `/services/${event.service}`,
    type: event.type,
    time: (event.now ?? new Date()).toISOString(),
    subject: event.subject,
    datacontenttype: 'application/json',
    data: event.data,
    ...(traceparent ? { traceparent } : {}),
  }
}
