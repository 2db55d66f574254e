import type { BreakerClient, BreakerSnapshot, Decision, Outcome, Permit, Report } from '../../../../durable-objects/circuit-breaker/client'
import { DEFAULT_BREAKER_CONFIG, type WindowConfig } from '../../../../durable-objects/circuit-breaker/config'
import type { BreakerStatus } from '../../../../durable-objects/circuit-breaker/state-machine'
import { applyTally, TallyBuilder } from '../../../../durable-objects/circuit-breaker/tally'
import { createLogger } from '../../../../platform/telemetry/log'
import type { Defer } from '../defer'
import { sleep as realSleep, systemClock, type Clock, type Sleep } from './timing'

const logger = createLogger('gateway').with({ component: 'circuit-breaker' })

export interface GateOptions {
  /** A closed view older than this is refreshed in the background (the call is not held up). */
  refreshMs: number
  /** A view older than this is not trusted at all: the call asks the breaker first. */
  maxStaleMs: number
  /**
   * Outcomes while closed are gathered at least this long into one aggregated report (longer
   * when the object asks for it, `report-pace.ts`); only outcomes that would change the
   * breaker's state (docs/adr/0055) go at once.
   */
  reportDelayMs: number
  /** The breaker's count window, to tell which outcomes would open it (the object's own constants by default). */
  window?: WindowConfig
}

export const DEFAULT_GATE: GateOptions = { refreshMs: 1_000, maxStaleMs: 10_000, reportDelayMs: 250 }

/** The most rounds (a wait and a report) one flush makes: the request that keeps it alive is released within a few seconds. */
const FLUSH_ROUNDS = 2

export type { Defer } from '../defer'

export type Admission = { allowed: true; permit: Permit; probe: boolean } | { allowed: false; retryAfterMs: number }

interface View {
  status: BreakerStatus
  generation: number
  /** Local time an open period ends. */
  retryAt: number
  fetchedAt: number
  /** Closed: the object's count window as of `fetchedAt`; null when not known (a copy taken from an acquire). */
  window: Outcome[] | null
}

/**
 * This isolate's copy of one service's breaker (docs/adr/0012). While the copy says closed,
 * calls are admitted without a Durable Object round trip; while it says open, they are refused
 * locally until its retry time. Only then — and when half-open, where the breaker itself must
 * count out the probes — does a call wait for the object. Outcomes are reported after the
 * response, aggregated (docs/adr/0055): at most one report per interval per service and
 * isolate (`reportDelayMs`, or longer when the object asks), whatever the request rate, carrying a tally per closed generation (bounded in size,
 * `tally.ts`) and the half-open probes. Outcomes that would change the breaker's state — those
 * that open it when projected onto the object's last known window, and every probe — are
 * reported at once. Each answer refreshes the copy.
 */
export class BreakerGate {
  private view: View | null = null
  private tallies = new Map<number, TallyBuilder>()
  private probes: Report[] = []
  private flushing: Promise<void> | null = null
  private refreshing: Promise<void> | null = null
  private urgent = false
  private wake: (() => void) | null = null
  /** The interval the object last asked for (0: none yet). */
  private paceMs = 0
  private readonly window: WindowConfig

  constructor(
    private readonly service: string,
    private readonly breakers: BreakerClient,
    private readonly options: GateOptions = DEFAULT_GATE,
    private readonly clock: Clock = systemClock,
    private readonly sleep: Sleep = realSleep,
  ) {
    this.window = options.window ?? DEFAULT_BREAKER_CONFIG
  }

  /**
   * Answered at once (no promise) while the copy decides on its own — the common case; a
   * promise when the breaker itself must be asked.
   */
  admit(defer: Defer): Admission | Promise<Admission> {
    const now = this.clock.now()
    const view = this.view
    if (view && now - view.fetchedAt <= this.options.maxStaleMs) {
      if (view.status === 'closed') {
        // A report on its way refreshes the copy with its answer: no second round trip for that.
        const refreshMs = Math.max(this.options.refreshMs, this.paceMs)
        if (now - view.fetchedAt > refreshMs && this.refreshing === null && this.flushing === null) {
          this.refreshing = this.refresh()
          defer(this.refreshing)
        }
        return { allowed: true, permit: { generation: view.generation }, probe: false }
      }
      if (view.status === 'open' && now < view.retryAt) return { allowed: false, retryAfterMs: view.retryAt - now }
    }
    return this.ask(view)
  }

  private async ask(view: View | null): Promise<Admission> {
    let decision: Decision
    try {
      decision = await this.breakers.acquire(this.service)
    } catch (error) {
      // The breaker is a safety device, not a dependency: if it cannot be asked, let the call through.
      log(this.service, 'circuit breaker unreachable; admitting', error)
      return { allowed: true, permit: { generation: -1 }, probe: false }
    }
    const at = this.clock.now()
    this.view = {
      status: decision.state,
      generation: decision.allowed ? decision.permit.generation : (view?.generation ?? -1),
      retryAt: at + decision.retryAfterMs,
      fetchedAt: at,
      window: null,
    }
    // Half-open, every probe is out: they usually answer within a second, long before their leases end.
    if (!decision.allowed)
      return {
        allowed: false,
        retryAfterMs: decision.state === 'half_open' ? Math.min(decision.retryAfterMs, 1_000) : decision.retryAfterMs,
      }
    return { allowed: true, permit: decision.permit, probe: decision.permit.probe !== undefined }
  }

  /** Gathers an outcome for the breaker; the report runs after the response. */
  record(permit: Permit, outcome: Outcome, defer: Defer): void {
    if (permit.generation < 0) return
    if (permit.probe !== undefined || this.view?.status !== 'closed') {
      this.probes.push({ permit, outcome })
      this.urgent = true
    } else {
      let tally = this.tallies.get(permit.generation)
      if (!tally) {
        tally = new TallyBuilder(permit.generation, this.window)
        this.tallies.set(permit.generation, tally)
      }
      tally.add(outcome)
      // Once urgent, the report goes at once anyway: no need to replay the tally again.
      if (outcome === 'failure' && !this.urgent && this.wouldOpen(tally)) this.urgent = true
    }
    if (this.urgent) this.wake?.()
    // The flush is started by, and kept alive by, one request; later outcomes join what it sends.
    if (this.flushing === null) {
      this.flushing = this.flush()
      defer(this.flushing)
    }
  }

  /** The current copy (tests and the admin view). */
  get current(): Readonly<View> | null {
    return this.view
  }

  /**
   * Whether the object, holding the window this isolate last saw, would open on this tally. An
   * unknown window counts as "it might": the first failures after an acquire go at once.
   */
  private wouldOpen(tally: TallyBuilder): boolean {
    const view = this.view
    if (view?.status !== 'closed' || view.generation !== tally.generation) return false
    if (view.window === null) return true
    const known = { status: 'closed' as const, generation: view.generation, calls: view.window }
    return applyTally(known, tally.build(), this.clock.now(), { ...DEFAULT_BREAKER_CONFIG, ...this.window }).status === 'open'
  }

  private get pending(): boolean {
    return this.tallies.size > 0 || this.probes.length > 0
  }

  /** Waits out the gathering interval, or less if an urgent outcome arrives. */
  private async gather(): Promise<void> {
    const woken = new Promise<void>((resolve) => (this.wake = resolve))
    await Promise.race([this.sleep(Math.max(this.options.reportDelayMs, this.paceMs)), woken])
    this.wake = null
  }

  private async flush(): Promise<void> {
    try {
      for (let round = 0; round < FLUSH_ROUNDS && this.pending; round += 1) {
        if (!this.urgent) await this.gather()
        do await this.send()
        while (this.urgent && this.pending)
      }
    } finally {
      // No await between the last check and this line: what is left starts the next flush.
      this.flushing = null
    }
  }

  private async send(): Promise<void> {
    this.urgent = false
    const batch = { tallies: [...this.tallies.values()].map((tally) => tally.build()), probes: this.probes }
    this.tallies = new Map()
    this.probes = []
    try {
      this.learn(await this.breakers.settle(this.service, batch))
    } catch (error) {
      log(this.service, 'reporting to the circuit breaker failed; outcomes dropped', error)
    }
  }

  /** Started by one request and deferred by that request only (a promise is not shared across requests). */
  private async refresh(): Promise<void> {
    try {
      this.learn(await this.breakers.snapshot(this.service))
    } catch (error) {
      log(this.service, 'circuit breaker refresh failed', error)
    } finally {
      this.refreshing = null
    }
  }

  private learn(snapshot: BreakerSnapshot): void {
    const now = this.clock.now()
    // Never beyond the age at which a copy is not trusted at all.
    this.paceMs = Math.min(snapshot.reportEveryMs ?? 0, this.options.maxStaleMs / 2)
    this.view = {
      status: snapshot.state,
      generation: snapshot.generation,
      retryAt: now + snapshot.retryAfterMs,
      fetchedAt: now,
      window: snapshot.window ?? null,
    }
  }
}

function log(service: string, message: string, error: unknown): void {
  logger.error(message, { downstream: service, error })
}
