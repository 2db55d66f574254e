// Which requests get a `request` log line (docs/adr/0052-request-log-sampling.md). RED metrics
// are not decided here: they count every request whatever this answers.

export interface RequestLogOptions {
  /** The share of unremarkable requests logged, 0 to 1 (1: every request). */
  sampleRate: number
  /** A request that took this many ms or more is always logged. */
  slowMs: number
}

export const DEFAULT_REQUEST_LOG_OPTIONS: RequestLogOptions = { sampleRate: 1, slowMs: 1000 }

export interface AnsweredRequest {
  status: number
  durationMs: number
  requestId: string
}

/**
 * FNV-1a (32 bits, with murmur3's finaliser) of the request id as a number in [0, 1): the same id always lands on the same
 * side of a rate, so every Worker that logs a request decides alike and its lines are all or none.
 */
export function sampleBucket(requestId: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < requestId.length; index++) {
    hash ^= requestId.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  // FNV-1a alone leaves ids that differ in their last character side by side in the top bits
  // (request-1, request-2, …); murmur3's finaliser spreads them over the whole range.
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return (hash >>> 0) / 2 ** 32
}

/**
 * Whether a request's log line is written: every error answer (4xx and 5xx) except 429 — a
 * refusal by the rate limiter comes in floods and is counted by the metrics —, every slow
 * request, and a deterministic sample of the rest, hashed on the request id.
 */
export function shouldLogRequest({ sampleRate, slowMs }: RequestLogOptions, { status, durationMs, requestId }: AnsweredRequest): boolean {
  if (status >= 400 && status !== 429) return true
  if (durationMs >= slowMs) return true
  if (sampleRate >= 1) return true
  if (sampleRate <= 0) return false
  return sampleBucket(requestId) < sampleRate
}

/**
 * The two vars as options: `LOG_SAMPLE_RATE` a number from 0 to 1, `LOG_SLOW_MS` a positive whole
 * number of ms; absent or empty, the default. Anything else throws, naming the var.
 */
export function requestLogOptions(vars: { LOG_SAMPLE_RATE?: string; LOG_SLOW_MS?: string }): RequestLogOptions {
  const { LOG_SAMPLE_RATE: rate, LOG_SLOW_MS: slow } = vars
  let sampleRate = DEFAULT_REQUEST_LOG_OPTIONS.sampleRate
  if (rate !== undefined && rate !== '') {
    sampleRate = Number(rate)
    if (!Number.isFinite(sampleRate) || sampleRate < 0 || sampleRate > 1)
      throw new Error(`LOG_SAMPLE_RATE must be a number from 0 to 1, got ${JSON.stringify(rate)}`)
  }
  let slowMs = DEFAULT_REQUEST_LOG_OPTIONS.slowMs
  if (slow !== undefined && slow !== '') {
    slowMs = Number(slow)
    if (!Number.isSafeInteger(slowMs) || slowMs <= 0) throw new Error(`LOG_SLOW_MS must be a positive integer, got ${JSON.stringify(slow)}`)
  }
  return { sampleRate, slowMs }
}
