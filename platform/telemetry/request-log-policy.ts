// Which requests get a `request` log line (docs/adr/0052-request-log-sampling.md). RED metrics
// are not decided here: they count every request whatever this answers.
import type { VarsOf } from '../env/config'
import { durationMsVar, fractionVar } from '../env/vars'

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

/** The gateway vars the policy reads, part of its config: `LOG_SAMPLE_RATE` 0 to 1, `LOG_SLOW_MS` ms. */
export const REQUEST_LOG_VARS = {
  LOG_SAMPLE_RATE: fractionVar(DEFAULT_REQUEST_LOG_OPTIONS.sampleRate),
  LOG_SLOW_MS: durationMsVar(DEFAULT_REQUEST_LOG_OPTIONS.slowMs),
}

export const requestLogOptionsOf = (vars: VarsOf<typeof REQUEST_LOG_VARS>): RequestLogOptions => ({
  sampleRate: vars.LOG_SAMPLE_RATE,
  slowMs: vars.LOG_SLOW_MS,
})
