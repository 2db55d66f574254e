// The standard OpenTelemetry environment variables, parsed (no dependency: unit-tested in Node).
import { parsePositiveInt } from '../env/vars'

/** The standard OpenTelemetry variables a Worker reads (all optional; vars or secrets). */
export interface TracingVars {
  /** OTLP/HTTP base URL, e.g. `http://localhost:4318`; traces go to `<endpoint>/v1/traces`. Unset: no tracing at all. */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string
  /** `key=value,key2=value2` (values URL-encoded), e.g. a vendor's API key. Keep it a secret. */
  OTEL_EXPORTER_OTLP_HEADERS?: string
  /** The parent-based ratio sampler's ratio, 0..1 (default 1: every trace). */
  OTEL_TRACES_SAMPLER_ARG?: string
  /** How long one export may take before it is given up, in ms (default 5000). */
  OTEL_EXPORTER_OTLP_TIMEOUT?: string
}

export const DEFAULT_EXPORT_TIMEOUT_MS = 5_000

/** Tracing is on only where a collector is configured: without one, nothing is wrapped. */
export function tracingEnabled(env: unknown): boolean {
  const endpoint = (env as TracingVars | null | undefined)?.OTEL_EXPORTER_OTLP_ENDPOINT
  return typeof endpoint === 'string' && endpoint.trim() !== ''
}

/** Parses `OTEL_EXPORTER_OTLP_HEADERS` (the spec's `k=v,k2=v2` list, values URL-encoded). */
export function parseOtlpHeaders(value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const pair of (value ?? '').split(',')) {
    const at = pair.indexOf('=')
    if (at <= 0) continue
    const key = pair.slice(0, at).trim()
    const raw = pair.slice(at + 1).trim()
    if (!key) continue
    try {
      headers[key] = decodeURIComponent(raw)
    } catch {
      headers[key] = raw
    }
  }
  return headers
}

/** The sampler ratio: a number in [0, 1]; anything else means 1. */
export function samplingRatio(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 1
  const ratio = Number(value)
  return Number.isFinite(ratio) && ratio >= 0 && ratio <= 1 ? ratio : 1
}

/**
 * A positive integer OTEL_* var, or `fallback`: a malformed value falls back too, as the
 * OpenTelemetry specification asks of its environment variables (tracing must not take a
 * Worker down), unlike the project's own vars (../env/vars.ts).
 */
export function positiveInt(value: string | undefined, fallback: number): number {
  return parsePositiveInt(value) ?? fallback
}
