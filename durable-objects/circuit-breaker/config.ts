import { defineConfig, type VarsOf } from '../../platform/env/config'
import { durationMsVar } from '../../platform/env/vars'
/** How a breaker judges its downstream. */
export interface BreakerConfig {
  /** The count window: the last N calls. */
  windowSize: number
  /** Below this many calls in the window the breaker never opens. */
  minimumCalls: number
  /** Opens when failures / calls ≥ this (0..1). */
  failureRateThreshold: number
  /** The first open period. */
  openMs: number
  /** Each half-open failure doubles the open period, up to this. */
  maxOpenMs: number
  /** Probe permits handed out while half-open; all must succeed to close. */
  probes: number
  /** A probe permit not reported within this counts as a failed probe (a hung probe cannot hold the breaker half-open). */
  probeLeaseMs: number
}

/** What judges a closed breaker's count window (all an isolate needs to tell which outcomes would open it). */
export type WindowConfig = Pick<BreakerConfig, 'windowSize' | 'minimumCalls' | 'failureRateThreshold'>

export const DEFAULT_BREAKER_CONFIG: BreakerConfig = {
  windowSize: 20,
  minimumCalls: 10,
  failureRateThreshold: 0.5,
  openMs: 30_000,
  maxOpenMs: 5 * 60_000,
  probes: 3,
  probeLeaseMs: 15_000,
}

/** The vars a deployment may set (all optional; the production defaults otherwise), part of its host's config. */
export const BREAKER_VARS = {
  /** The first open period in ms (local development uses a short one so the e2e suite can watch a breaker close). */
  CIRCUIT_BREAKER_OPEN_MS: durationMsVar(DEFAULT_BREAKER_CONFIG.openMs),
}

/** The vars as text, as the Durable Object's env holds them. */
export type BreakerVars = { [K in keyof typeof BREAKER_VARS]?: string }

export function breakerConfigOf(vars: VarsOf<typeof BREAKER_VARS>): BreakerConfig {
  const openMs = vars.CIRCUIT_BREAKER_OPEN_MS
  return { ...DEFAULT_BREAKER_CONFIG, openMs, maxOpenMs: Math.max(openMs, DEFAULT_BREAKER_CONFIG.maxOpenMs) }
}

/** The config from env vars, parsed once per configuration; a bad value throws (fails at creation, not mid-call). */
export const breakerConfig = defineConfig(BREAKER_VARS, breakerConfigOf)
