import { positiveIntVar } from '../../platform/env/vars'
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

export const DEFAULT_BREAKER_CONFIG: BreakerConfig = {
  windowSize: 20,
  minimumCalls: 10,
  failureRateThreshold: 0.5,
  openMs: 30_000,
  maxOpenMs: 5 * 60_000,
  probes: 3,
  probeLeaseMs: 15_000,
}

/** The vars a deployment may set (all optional; the production defaults otherwise). */
export interface BreakerVars {
  /** The first open period in ms (local development uses a short one so the e2e suite can watch a breaker close). */
  CIRCUIT_BREAKER_OPEN_MS?: string
}

/** The config from env vars; a bad value throws (fails at creation, not mid-call). */
export function breakerConfig(vars: BreakerVars): BreakerConfig {
  const openMs = positiveIntVar('CIRCUIT_BREAKER_OPEN_MS', vars.CIRCUIT_BREAKER_OPEN_MS, DEFAULT_BREAKER_CONFIG.openMs)
  return { ...DEFAULT_BREAKER_CONFIG, openMs, maxOpenMs: Math.max(openMs, DEFAULT_BREAKER_CONFIG.maxOpenMs) }
}
