import { DEFAULT_BREAKER_CONFIG, type BreakerConfig, type WindowConfig } from './config'

/**
 * The circuit breaker as a pure state machine: `transition(state, event, now)`. The Durable
 * Object only loads, applies and stores; tests drive it with any clock they like.
 *
 * Every state carries a `generation`, bumped on every change of status. A permit names the
 * generation (and, half-open, the probe) it was handed out for, so a result that arrives after
 * the breaker has moved on — a slow call reported after it opened — changes nothing.
 */
export type BreakerStatus = 'closed' | 'open' | 'half_open'
export type Outcome = 'success' | 'failure'

export type BreakerState =
  | { status: 'closed'; generation: number; calls: Outcome[] }
  | { status: 'open'; generation: number; until: number; openMs: number; failureRate: number }
  | {
      status: 'half_open'
      generation: number
      openMs: number
      failureRate: number
      issued: number
      succeeded: number
      /** Outstanding probe → when its lease expires (epoch ms). */
      leases: Record<string, number>
    }

/** What a caller holds while its call runs, and hands back with the outcome. */
export interface Permit {
  generation: number
  /** Half-open only: which probe this is. */
  probe?: number
}

export type Decision =
  | { allowed: true; permit: Permit; state: BreakerStatus; retryAfterMs: 0 }
  | { allowed: false; state: BreakerStatus; retryAfterMs: number }

export type BreakerEvent =
  | { type: 'acquire' }
  | { type: 'report'; permit: Permit; outcome: Outcome }
  /** `calls` (at least a window's worth, all later than what the window holds) are the window now (tally.ts). */
  | { type: 'window'; permit: Permit; calls: Outcome[] }
  | { type: 'tick' }

export interface Transition {
  state: BreakerState
  /** Set for `acquire`. */
  decision?: Decision
}

export interface BreakerSnapshot {
  state: BreakerStatus
  generation: number
  failureRate: number
  /** How long until an open breaker lets probes through; 0 otherwise. */
  retryAfterMs: number
  /** Closed only: the count window, oldest first (an isolate projects its own outcomes onto it). */
  window?: Outcome[]
  /** From the object: how often each isolate should report (report-pace.ts). */
  reportEveryMs?: number
}

export const initialState = (): BreakerState => ({ status: 'closed', generation: 0, calls: [] })

/** 5xx is the service failing; 4xx is the caller's mistake and never counts against the service. */
export function outcomeForStatus(status: number): Outcome {
  return status >= 500 ? 'failure' : 'success'
}

function failureRate(calls: readonly Outcome[]): number {
  return calls.length === 0 ? 0 : calls.filter((call) => call === 'failure').length / calls.length
}

/** Whether a closed breaker whose window is `calls` opens. */
export function opens(calls: readonly Outcome[], config: WindowConfig): boolean {
  return calls.length >= config.minimumCalls && failureRate(calls) >= config.failureRateThreshold
}

function open(generation: number, now: number, openMs: number, rate: number): BreakerState {
  return { status: 'open', generation: generation + 1, until: now + openMs, openMs, failureRate: rate }
}

/** A failed half-open probe (or an expired lease) opens again for twice as long, up to the cap. */
function reopen(state: Extract<BreakerState, { status: 'half_open' }>, now: number, config: BreakerConfig): BreakerState {
  return open(state.generation, now, Math.min(state.openMs * 2, config.maxOpenMs), 1)
}

/** The changes time alone makes: an open period ends; a probe's lease runs out. */
function advance(state: BreakerState, now: number, config: BreakerConfig): BreakerState {
  if (state.status === 'open' && now >= state.until) {
    const { generation, openMs, failureRate: rate } = state
    return advance(
      { status: 'half_open', generation: generation + 1, openMs, failureRate: rate, issued: 0, succeeded: 0, leases: {} },
      now,
      config,
    )
  }
  if (state.status === 'half_open' && Object.values(state.leases).some((expiresAt) => expiresAt <= now)) return reopen(state, now, config)
  return state
}

function acquire(state: BreakerState, now: number, config: BreakerConfig): Transition {
  switch (state.status) {
    case 'closed':
      return { state, decision: { allowed: true, permit: { generation: state.generation }, state: 'closed', retryAfterMs: 0 } }
    case 'open':
      return { state, decision: { allowed: false, state: 'open', retryAfterMs: state.until - now } }
    case 'half_open': {
      if (state.issued >= config.probes) {
        // Every probe is out: wait for the earliest lease at the latest.
        const retryAfterMs = Math.max(1, Math.min(...Object.values(state.leases)) - now)
        return { state, decision: { allowed: false, state: 'half_open', retryAfterMs } }
      }
      const probe = state.issued + 1
      const next = { ...state, issued: probe, leases: { ...state.leases, [probe]: now + config.probeLeaseMs } }
      return {
        state: next,
        decision: { allowed: true, permit: { generation: state.generation, probe }, state: 'half_open', retryAfterMs: 0 },
      }
    }
  }
}

/** A closed breaker whose window is now the last `windowSize` of `calls`: opens if they reach the threshold. */
function judge(state: Extract<BreakerState, { status: 'closed' }>, calls: Outcome[], now: number, config: BreakerConfig): BreakerState {
  const window = calls.slice(-config.windowSize)
  if (opens(window, config)) return open(state.generation, now, config.openMs, failureRate(window))
  return { ...state, calls: window }
}

/** A closed breaker's window replaced by `calls`. */
function replaceWindow(state: BreakerState, permit: Permit, calls: Outcome[], now: number, config: BreakerConfig): BreakerState {
  if (state.status !== 'closed' || permit.generation !== state.generation) return state
  return judge(state, calls, now, config)
}

function report(state: BreakerState, permit: Permit, outcome: Outcome, now: number, config: BreakerConfig): BreakerState {
  if (permit.generation !== state.generation) return state // late: the breaker has moved on
  if (state.status === 'closed') return judge(state, [...state.calls, outcome], now, config)
  if (state.status !== 'half_open' || permit.probe === undefined || !(permit.probe in state.leases)) return state
  if (outcome === 'failure') return reopen(state, now, config)
  const leases = { ...state.leases }
  delete leases[permit.probe]
  const succeeded = state.succeeded + 1
  if (succeeded >= config.probes) return { status: 'closed', generation: state.generation + 1, calls: [] }
  return { ...state, succeeded, leases }
}

/** The breaker's one transition function. */
export function transition(
  state: BreakerState,
  event: BreakerEvent,
  now: number,
  config: BreakerConfig = DEFAULT_BREAKER_CONFIG,
): Transition {
  const current = advance(state, now, config)
  switch (event.type) {
    case 'tick':
      return { state: current }
    case 'acquire':
      return acquire(current, now, config)
    case 'report':
      return { state: report(current, event.permit, event.outcome, now, config) }
    case 'window':
      return { state: replaceWindow(current, event.permit, event.calls, now, config) }
  }
}

/** The public view of a state at `now` (apply a `tick` first for an up-to-date one). */
export function snapshotOf(state: BreakerState, now: number): BreakerSnapshot {
  switch (state.status) {
    case 'closed':
      return {
        state: 'closed',
        generation: state.generation,
        failureRate: failureRate(state.calls),
        retryAfterMs: 0,
        window: [...state.calls],
      }
    case 'open':
      return { state: 'open', generation: state.generation, failureRate: state.failureRate, retryAfterMs: Math.max(0, state.until - now) }
    case 'half_open':
      return { state: 'half_open', generation: state.generation, failureRate: state.failureRate, retryAfterMs: 0 }
  }
}
