import { isSecretName, redact, REDACTED, scrubText } from './redact'
import { currentRequestId } from './request-context'
import { activeSpanIds } from './span-context'

export type LogLevel = 'info' | 'warn' | 'error'

export type LogFields = Record<string, unknown>

export interface Logger {
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
  /** A logger that adds these fields to every line (a component, a downstream). */
  with(fields: LogFields): Logger
}

/** Where a finished line goes; the console by default (Workers Logs parse JSON lines). */
export type LogSink = (level: LogLevel, line: string) => void

export interface LoggerOptions {
  sink?: LogSink
  now?: () => Date
}

const consoleSink: LogSink = (level, line) => {
  if (level === 'error') console.error(line)
  else if (level === 'warn') console.warn(line)
  else console.log(line)
}

/** The keys every line starts with; a field of the same name never overrides them. */
const RESERVED = new Set(['time', 'level', 'service', 'message', 'trace_id', 'span_id'])

/**
 * One JSON line per call: `time`, `level`, `service`, `message`, the `request_id` of the work in
 * progress (./request-context; a `request_id` field wins, for code outside a request's scope),
 * the active span's `trace_id` and `span_id` (absent when nothing is traced), then the fields —
 * always passed through `redact`, so no secret-named field or secret-shaped text is ever written.
 */
export function createLogger(
  service: string,
  { sink = consoleSink, now = () => new Date() }: LoggerOptions = {},
  bound: LogFields = {},
): Logger {
  const hasBound = Object.keys(bound).length > 0
  function write(level: LogLevel, message: string, fields: LogFields = {}): void {
    const line: Record<string, unknown> = { time: now().toISOString(), level, service, message: scrubText(message) }
    const requestId = currentRequestId()
    if (requestId !== undefined) line.request_id = requestId
    const span = activeSpanIds()
    if (span) Object.assign(line, span)
    // Field by field, as redact() would walk the merged object (bound fields first, a field
    // overriding one of them in its place); without bound fields, no merged copy is made.
    const merged = hasBound ? { ...bound, ...fields } : fields
    for (const name in merged) {
      if (!Object.hasOwn(merged, name) || RESERVED.has(name)) continue
      const value = isSecretName(name) ? REDACTED : redact(merged[name], 1)
      if (value !== undefined) line[name] = value
    }
    let text: string
    try {
      text = JSON.stringify(line)
    } catch {
      text = JSON.stringify({
        time: line.time,
        level,
        service,
        message: line.message,
        request_id: line.request_id,
        log_error: 'fields not serialisable',
      })
    }
    sink(level, text)
  }
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    with: (fields) => createLogger(service, { sink, now }, { ...bound, ...fields }),
  }
}
