import {
  context,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api'

// W3C Trace Context across the hops the library does not cover: RPC calls (in the service
// credential), Durable Object calls (an argument), queue messages (the CloudEvents `traceparent`
// extension) and saga steps run from alarms (stored in the saga's state).

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/

const tracer = () => trace.getTracer('edge-commerce')

/** The active span as a W3C `traceparent`, or undefined when nothing is being traced. */
export function currentTraceparent(): string | undefined {
  const span = trace.getActiveSpan()?.spanContext()
  if (!span || !isSpanContextValid(span)) return undefined
  return `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}`
}

/** A remote span context from a `traceparent`; undefined if it is missing or malformed. */
export function parseTraceparent(value: unknown): SpanContext | undefined {
  if (typeof value !== 'string') return undefined
  const match = TRACEPARENT.exec(value.trim().toLowerCase())
  if (!match) return undefined
  const spanContext: SpanContext = {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: parseInt(match[3]!, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  }
  return isSpanContextValid(spanContext) ? spanContext : undefined
}

/** A valid `traceparent` as given, or undefined: what may be stored or signed into a claim. */
export function validTraceparent(value: unknown): string | undefined {
  return parseTraceparent(value) ? (value as string).trim().toLowerCase() : undefined
}

export interface SpanOptions {
  kind?: SpanKind
  attributes?: Attributes
  /** A remote parent (`traceparent`); without one the active span is the parent. */
  parent?: string
  /** Where to start when no handler wrapper set the context (see tracingBase); default the active context. */
  base?: Context | null
  /** Spans this one is linked to (`traceparent`s; invalid ones are left out): e.g. the messages of one batch write. */
  links?: readonly unknown[]
}

function recordFailure(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error))
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) })
}

/**
 * Marks the active span failed with `error`, for work that catches its own failure (a queue
 * message to be retried): run in the handler's own context, that is the trace's root span, which
 * the tail sampler exports whatever the ratio (./tracing-config.ts). Nothing if untraced.
 */
export function markActiveSpanFailed(error: unknown): void {
  const span = trace.getActiveSpan()
  if (span) recordFailure(span, error)
}

/**
 * Runs `fn` in a new span, a child of `parent` if given (else of the active span), ended when
 * `fn` returns or its promise settles; a throw or rejection is recorded as an error. Synchronous
 * functions stay synchronous. With tracing off the span is a no-op and costs next to nothing.
 */
export function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span | undefined) => T): T {
  const base = options.base ?? context.active()
  const remote = parseTraceparent(options.parent)
  const parentContext = remote ? trace.setSpanContext(base, remote) : base
  let span: Span
  try {
    span = context.with(base, () =>
      tracer().startSpan(
        name,
        {
          kind: options.kind ?? SpanKind.INTERNAL,
          attributes: options.attributes,
          links: (options.links ?? []).flatMap((link) => {
            const linked = parseTraceparent(link)
            return linked ? [{ context: linked }] : []
          }),
        },
        parentContext,
      ),
    )
  } catch {
    // The library's tracer refuses to start a span outside a configured context: run untraced.
    return fn(undefined)
  }
  const end = () => span.end()
  try {
    const result = context.with(trace.setSpan(parentContext, span), () => fn(span))
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          end()
          return value
        },
        (error: unknown) => {
          recordFailure(span, error)
          end()
          throw error
        },
      ) as T
    }
    end()
    return result
  } catch (error) {
    recordFailure(span, error)
    end()
    throw error
  }
}

/** Adds an event to the active span (e.g. a rate limiter or breaker decision); nothing if untraced. */
export function spanEvent(name: string, attributes: Attributes): void {
  trace.getActiveSpan()?.addEvent(name, attributes)
}

/** Sets attributes on the active span; nothing if untraced. */
export function spanAttributes(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes)
}

export { SpanKind, SpanStatusCode }
