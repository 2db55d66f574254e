import { DurableObject } from 'cloudflare:workers'
import { SpanKind, withSpan } from '../../platform/telemetry/trace-context'
import { breakerConfig, type BreakerConfig, type BreakerVars } from './config'
import {
  initialState,
  snapshotOf,
  transition,
  type BreakerEvent,
  type BreakerSnapshot,
  type BreakerState,
  type Decision,
  type Outcome,
  type Permit,
} from './state-machine'

const STATE_KEY = 'breaker'

/** A result for one permit; `report` takes them one at a time or in a batch. */
export interface Report {
  permit: Permit
  outcome: Outcome
}

/**
 * One circuit breaker per downstream service (`CIRCUIT_BREAKERS.idFromName(service)`), hosted
 * by the gateway. The state is a small value in SQLite-backed storage, read and written with the
 * synchronous KV API: a method checks and takes a permit with no `await` in between, and an
 * eviction or restart resumes from exactly the stored state.
 */
export class CircuitBreaker extends DurableObject<BreakerVars> {
  private readonly config: BreakerConfig

  constructor(ctx: DurableObjectState, env: BreakerVars) {
    super(ctx, env)
    this.config = breakerConfig(env)
  }

  /**
   * Asks to call the service: a permit to report back with, or how long to stay away.
   * `traceparent` (the caller's span) parents this call's span, which records the decision.
   */
  acquire(traceparent?: string): Decision {
    const attributes = {
      'rpc.system': 'cloudflare_durable_objects',
      'rpc.service': 'CircuitBreaker',
      'rpc.method': 'acquire',
      'breaker.service': this.ctx.id.name ?? '',
    }
    return withSpan('CircuitBreaker/acquire', { kind: SpanKind.SERVER, parent: traceparent, attributes }, (span) => {
      const decision = this.apply({ type: 'acquire' }).decision!
      span?.setAttributes({
        'breaker.allowed': decision.allowed,
        'breaker.state': decision.state,
        'breaker.retry_after_ms': decision.retryAfterMs,
      })
      return decision
    })
  }

  /** Records call outcomes; late ones (an older generation or probe) change nothing. Answers the state after. */
  report(permit: Permit, outcome: Outcome): BreakerSnapshot {
    return this.reportMany([{ permit, outcome }])
  }

  /** `report` for several calls at once (the gateway batches outcomes per isolate). */
  reportMany(reports: Report[]): BreakerSnapshot {
    for (const { permit, outcome } of reports) this.apply({ type: 'report', permit, outcome })
    return this.snapshot()
  }

  /** The breaker as it is now (time-driven changes applied). */
  snapshot(): BreakerSnapshot {
    this.apply({ type: 'tick' })
    return snapshotOf(this.load(), Date.now())
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
