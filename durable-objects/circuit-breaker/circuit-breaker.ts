import { DurableObject } from 'cloudflare:workers'
import { spanAttributes, SpanKind, withSpan } from '../../platform/telemetry/trace-context'
import { breakerConfig, type BreakerConfig, type BreakerVars } from './config'
import {
  initialState,
  snapshotOf,
  transition,
  type BreakerEvent,
  type BreakerSnapshot,
  type BreakerState,
  type Decision,
} from './state-machine'
import { ReportPace } from './report-pace'
import { settleState, type ReportBatch } from './tally'

const STATE_KEY = 'breaker'

/**
 * One circuit breaker per downstream service (`CIRCUIT_BREAKERS.idFromName(service)`), hosted
 * by the gateway. The state is a small value in SQLite-backed storage, read and written with the
 * synchronous KV API: a method checks and takes a permit with no `await` in between, and an
 * eviction or restart resumes from exactly the stored state.
 */
export class CircuitBreaker extends DurableObject<BreakerVars> {
  private readonly config: BreakerConfig
  /** How often isolates should report, from how many reports arrive (report-pace.ts). */
  private readonly pace = new ReportPace()

  constructor(ctx: DurableObjectState, env: BreakerVars) {
    super(ctx, env)
    this.config = breakerConfig(env)
  }

  /**
   * Asks to call the service: a permit to report back with, or how long to stay away.
   * `traceparent` (the caller's span) parents this call's span, which records the decision.
   */
  acquire(traceparent?: string): Decision {
    return this.traced(
      'acquire',
      () => {
        const decision = this.apply({ type: 'acquire' }).decision!
        spanAttributes({
          'breaker.allowed': decision.allowed,
          'breaker.state': decision.state,
          'breaker.retry_after_ms': decision.retryAfterMs,
        })
        return decision
      },
      traceparent,
    )
  }

  /**
   * An isolate's aggregated report (docs/adr/0055): its tallies, then its probes (late ones, of an
   * older generation or probe, change nothing), applied in memory and stored once. Answers the
   * state after, which refreshes the isolate's copy.
   */
  settle(batch: ReportBatch): BreakerSnapshot {
    return this.traced('settle', () => {
      const now = Date.now()
      const before = this.load()
      const state = settleState(before, batch, now, this.config)
      if (state !== before) this.ctx.storage.kv.put(STATE_KEY, state)
      return { ...snapshotOf(state, now), reportEveryMs: this.pace.hear(now) }
    })
  }

  /** The breaker as it is now (time-driven changes applied). */
  snapshot(): BreakerSnapshot {
    return this.traced('snapshot', () => {
      this.apply({ type: 'tick' })
      const now = Date.now()
      return { ...snapshotOf(this.load(), now), reportEveryMs: this.pace.hear(now) }
    })
  }

  /**
   * A span per call, so a trace (and bench/capacity.mjs) sees every round trip the breaker
   * receives; `parent`, the caller's span, parents it.
   */
  private traced<T>(method: string, fn: () => T, parent?: string): T {
    const attributes = {
      'rpc.system': 'cloudflare_durable_objects',
      'rpc.service': 'CircuitBreaker',
      'rpc.method': method,
      'breaker.service': this.ctx.id.name ?? '',
    }
    return withSpan(`CircuitBreaker/${method}`, { kind: SpanKind.SERVER, parent, attributes }, () => fn())
  }

  private load(): BreakerState {
    return this.ctx.storage.kv.get<BreakerState>(STATE_KEY) ?? initialState()
  }

  private apply(event: BreakerEvent) {
    const before = this.load()
    const next = transition(before, event, Date.now(), this.config)
    if (next.state !== before) this.ctx.storage.kv.put(STATE_KEY, next.state)
    return next
  }
}
