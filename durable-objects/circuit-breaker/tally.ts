import type { BreakerConfig, WindowConfig } from './config'
import { opens, transition, type BreakerState, type Outcome, type Permit } from './state-machine'

/**
 * Many calls' outcomes in a report of bounded size (docs/adr/0055). The breaker judges a count
 * window: after each outcome, the last `windowSize` calls. Of a long run of outcomes only two
 * parts can matter to it:
 * - the first `windowSize - 1`, whose windows still reach back into what the breaker held
 *   before — the breaker applies those one by one;
 * - the windows wholly inside the run: if one of them opens the breaker, the first such window
 *   (the breaker opens there, with that window's failure rate, and every later outcome is
 *   late); otherwise the run's last window, which is the breaker's window afterwards.
 * So a tally of any number of calls carries at most `2 × windowSize - 1` outcomes, and applying
 * it leaves the breaker exactly where applying the calls one by one would.
 */
export interface Tally {
  /** The closed generation these calls were admitted on. */
  generation: number
  /** The first outcomes in completion order: all of them when fewer than `windowSize`, else `windowSize - 1`. */
  head: Outcome[]
  /** With `windowSize` calls or more: the first window wholly inside the run that opens the breaker, else the run's last window. */
  window?: Outcome[]
  /** How many calls the tally stands for. */
  calls: number
}

/** Gathers one generation's outcomes as they complete, in constant space per outcome. */
export class TallyBuilder {
  readonly #head: Outcome[] = []
  #last: Outcome[] = []
  #opening: Outcome[] | null = null
  #calls = 0

  constructor(
    readonly generation: number,
    private readonly config: WindowConfig,
  ) {}

  get calls(): number {
    return this.#calls
  }

  add(outcome: Outcome): void {
    const size = this.config.windowSize
    this.#calls += 1
    if (this.#head.length < size - 1) this.#head.push(outcome)
    this.#last.push(outcome)
    if (this.#last.length > size) this.#last = this.#last.slice(-size)
    if (this.#opening === null && this.#calls >= size && opens(this.#last, this.config)) this.#opening = [...this.#last]
  }

  build(): Tally {
    const tally: Tally = { generation: this.generation, head: [...this.#head], calls: this.#calls }
    if (this.#calls >= this.config.windowSize) tally.window = this.#opening ?? [...this.#last]
    return tally
  }
}

/** A tally of `outcomes` (in completion order) for `generation`. */
export function tallyOf(generation: number, outcomes: readonly Outcome[], config: WindowConfig): Tally {
  const builder = new TallyBuilder(generation, config)
  for (const outcome of outcomes) builder.add(outcome)
  return builder.build()
}

/** The breaker after a tally: the head one outcome at a time, then the window (a late tally changes nothing). */
export function applyTally(state: BreakerState, tally: Tally, now: number, config: BreakerConfig): BreakerState {
  const permit: Permit = { generation: tally.generation }
  let current = state
  for (const outcome of tally.head) current = transition(current, { type: 'report', permit, outcome }, now, config).state
  if (tally.window) current = transition(current, { type: 'window', permit, calls: tally.window }, now, config).state
  return current
}

/** A result for one permit, applied on its own: a half-open probe's (or one whose breaker the isolate last saw not closed). */
export interface Report {
  permit: Permit
  outcome: Outcome
}

/** What one isolate gathered since its last report: a tally per closed generation, half-open probes one by one. */
export interface ReportBatch {
  tallies: Tally[]
  probes: Report[]
}

/**
 * The breaker after an isolate's report: time-driven changes first (an open period that ended,
 * a lease that ran out), then the tallies, then the probes. The Durable Object stores what this
 * answers; in-memory breakers in tests call it too, so they settle exactly as the object does.
 */
export function settleState(state: BreakerState, batch: ReportBatch, now: number, config: BreakerConfig): BreakerState {
  let current = transition(state, { type: 'tick' }, now, config).state
  for (const tally of batch.tallies) current = applyTally(current, tally, now, config)
  for (const { permit, outcome } of batch.probes) current = transition(current, { type: 'report', permit, outcome }, now, config).state
  return current
}
