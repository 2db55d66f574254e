import { DurableObject } from 'cloudflare:workers'
import { SpanKind, withSpan } from '../../platform/telemetry/trace-context'
import { gcraTake, type GcraState, type GcraTake } from './gcra'

/** A decision without the state (that stays in the object). */
export interface RateLimitDecision {
  allowed: boolean
  remaining: number
  resetMs: number
  /** 0 when allowed; Infinity when the cost exceeds the burst and can never be allowed. */
  retryAfterMs: number
}

/** What `take` answers: the decision, and the further units granted to the caller's lease. */
export interface RateLimitGrant extends RateLimitDecision {
  extra: number
}

const STATE_KEY = 'gcra'
/**
 * An object deletes its own storage this long after its quota is whole again (the TAT passed):
 * a key with no traffic costs nothing forever. Deleting earlier would change nothing either —
 * a TAT in the past means a full quota, which is what no state means — this only spares a busy
 * key from rewriting its alarm.
 */
export const IDLE_DELETE_MS = 60 * 60_000

/**
 * One rate-limit key (`RATE_LIMITER.idFromName(policy + ':' + key)`): its GCRA state, the
 * theoretical arrival time, lives in the object's storage so an evicted or restarted object
 * keeps the window. The state is loaded once, before any request is delivered; after that a
 * take decides and takes its units synchronously — no `await` between checking and taking —
 * so concurrent requests are admitted exactly up to the limit.
 */
export class RateLimiter extends DurableObject<unknown> {
  private state: GcraState | null = null
  /** Whether the clean-up alarm is set: at most one alarm write per idle period, not one per take. */
  private armed = false

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    void ctx.blockConcurrencyWhile(async () => {
      this.state = (await ctx.storage.get<GcraState>(STATE_KEY)) ?? null
      this.armed = (await ctx.storage.getAlarm()) !== null
      if (this.state) this.arm(this.state)
    })
  }

  private arm(state: GcraState): void {
    if (this.armed) return
    this.armed = true
    void this.ctx.storage.setAlarm(state.tat + IDLE_DELETE_MS)
  }

  /** The clean-up: idle long enough, the object forgets everything; else it looks again later. */
  override async alarm(): Promise<void> {
    const due = this.state ? this.state.tat + IDLE_DELETE_MS : 0
    if (due > Date.now()) {
      await this.ctx.storage.setAlarm(due)
      return
    }
    this.state = null
    this.armed = false
    await this.ctx.storage.deleteAll()
  }

  /**
   * Decides one request against `take` and, if it is allowed, takes its units — and up to
   * `take.extra` more for the caller's isolate lease, after giving back `take.refund` unused
   * ones (`gcraTake`). `traceparent` (the caller's span) parents this call's span, which
   * records the decision.
   */
  take(take: GcraTake, traceparent?: string): RateLimitGrant {
    const attributes = { 'rpc.system': 'cloudflare_durable_objects', 'rpc.service': 'RateLimiter', 'rpc.method': 'take' }
    return withSpan('RateLimiter/take', { kind: SpanKind.SERVER, parent: traceparent, attributes }, (span) => {
      const { state, ...grant } = gcraTake(this.state, take, Date.now())
      if (state.tat !== this.state?.tat) {
        this.state = state
        // Not awaited: the output gate holds this answer until the write is durable, and
        // awaiting here would only let another take run in between.
        void this.ctx.storage.put(STATE_KEY, state)
        this.arm(state)
      }
      span?.setAttributes({
        'ratelimit.allowed': grant.allowed,
        'ratelimit.remaining': grant.remaining,
        'ratelimit.retry_after_ms': grant.retryAfterMs,
        'ratelimit.lease_units': grant.extra,
      })
      return grant
    })
  }
}
