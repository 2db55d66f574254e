import type { ExportResult } from '@opentelemetry/core'
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base'

/** ExportResultCode.FAILED (a const enum in @opentelemetry/core, which Workers code does not import at runtime). */
const FAILED = 1

/**
 * Gives an export up after `timeoutMs`: the library flushes in `waitUntil` after the response,
 * and a collector that never answers must not keep the invocation alive until the platform
 * cancels it. The request itself never waits for an export.
 */
export class BoundedExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly timeoutMs: number,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let done = false
    const finish = (result: ExportResult) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resultCallback(result)
    }
    const timer = setTimeout(
      () => finish({ code: FAILED, error: new Error(`OTLP export timed out after ${this.timeoutMs} ms`) }),
      this.timeoutMs,
    )
    try {
      this.inner.export(spans, finish)
    } catch (error) {
      finish({ code: FAILED, error: error instanceof Error ? error : new Error(String(error)) })
    }
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown()
  }
}
