import type { BreakerClient, BreakerSnapshot, Decision, Outcome, Permit, Report } from '../../../../durable-objects/circuit-breaker/client'
import type { BreakerStatus } from '../../../../durable-objects/circuit-breaker/state-machine'
import { createLogger } from '../../../../platform/telemetry/log'
import type { Defer } from '../defer'
import { sleep as realSleep, systemClock, type Clock, type Sleep } from './timing'

const logger = createLogger('gateway').with({ component: 'circuit-breaker' })

export interface GateOptions {
  /** A closed view older than this is refreshed in the background (the call is not held up). */
  refreshMs: number
  /** A view older than this is not trusted at all: the call asks the breaker first. */
  maxStaleMs: number
  /** Successes while closed are gathered this long before they are reported; failures go at once. */
  reportDelayMs: number
}

export const DEFAULT_GATE: GateOptions = { refreshMs: 1_000, maxStaleMs: 10_000, reportDelayMs: 250 }

/** How often a gathering report checks whether a failure has made it urgent. */
const URGENCY_CHECK_MS = 25

export type { Defer } from '../defer'

export type Admission = { allowed: true; permit: Permit; probe: boolean } | { allowed: false; retryAfterMs: number }

interface View {
  status: BreakerStatus
  generation: number
  /** Local time an open period ends. */
  retryAt: number
  fetchedAt: number
}

/**
 * This isolate's copy of one service's breaker (docs/adr/0012). While the copy says closed,
 * calls are admitted without a Durable Object round trip; while it says open, they are refused
 * locally until its retry time. Only then — and when half-open, where the breaker itself must
 * count out the probes — does a call wait for the object. Outcomes are reported after the
 * response, batched: one report call in flight per service and isolate, carrying whatever
 * queued meanwhile (successes while closed are gathered for `reportDelayMs`; a failure, or any
 * outcome while not closed, goes at once); each answer refreshes the copy.
 */
export class BreakerGate {
  private view: View | null = null
  private queue: Report[] = []
  private flushing: Promise<void> | null = null
  private refreshing: Promise<void> | null = null
  private urgent = false

  constructor(
    private readonly service: string,
    private readonly breakers: BreakerClient,
    private readonly options: GateOptions = DEFAULT_GATE,
    private readonly clock: Clock = systemClock,
    private readonly sleep: Sleep = realSleep,
  ) {}

  /**
   * Answered at once (no promise) while the copy decides on its own — the common case; a
   * promise when the breaker itself must be asked.
   */
  admit(defer: Defer): Admission | Promise<Admission> {
    const now = this.clock.now()
    const view = this.view
    if (view && now - view.fetchedAt <= this.options.maxStaleMs) {
      if (view.status === 'closed') {
        if (now - view.fetchedAt > this.options.refreshMs && this.refreshing === null) {
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
    }
    // Half-open, every probe is out: they usually answer within a second, long before their leases end.
    if (!decision.allowed)
      return {
        allowed: false,
        retryAfterMs: decision.state === 'half_open' ? Math.min(decision.retryAfterMs, 1_000) : decision.retryAfterMs,
      }
    return { allowed: true, permit: decision.permit, probe: decision.permit.probe !== undefined }
  }

  /** Queues an outcome for the breaker; the report runs after the response. */
  record(permit: Permit, outcome: Outcome, defer: Defer): void {
    if (permit.generation < 0) return
    this.queue.push({ permit, outcome })
    if (outcome === 'failure' || this.view?.status !== 'closed') this.urgent = true
    // The flush is started by, and kept alive by, one request; later outcomes join its queue.
    if (this.flushing === null) {
      this.flushing = this.flush()
      defer(this.flushing)
    }
  }

  /** The current copy (tests and the admin view). */
  get current(): Readonly<View> | null {
    return this.view
  }

  private async flush(): Promise<void> {
    try {
      for (let waited = 0; !this.urgent && waited < this.options.reportDelayMs; waited += URGENCY_CHECK_MS)
        await this.sleep(URGENCY_CHECK_MS)
      while (this.queue.length > 0) {
        this.urgent = false
        const batch = this.queue.splice(0)
        try {
          this.learn(await this.breakers.reportMany(this.service, batch))
        } catch (error) {
          log(this.service, 'reporting to the circuit breaker failed; outcomes dropped', error)
        }
      }
    } finally {
      // No await between the last queue check and this line: nothing can be left behind.
      this.flushing = null
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
    this.view = { status: snapshot.state, generation: snapshot.generation, retryAt: now + snapshot.retryAfterMs, fetchedAt: now }
  }
}

function log(service: string, message: string, error: unknown): void {
  logger.error(message, { downstream: service, error })
}
