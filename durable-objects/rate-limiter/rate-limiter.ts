import { DurableObject } from 'cloudflare:workers'
import { SpanKind, withSpan } from '../../platform/telemetry/trace-context'
import { gcra, type GcraLimit, type GcraState } from './gcra'

/** What `check` answers: the decision without the state (that stays in the object). */
export interface RateLimitDecision {
  allowed: boolean
  remaining: number
  resetMs: number
  /** 0 when allowed; Infinity when the cost exceeds the burst and can never be allowed. */
  retryAfterMs: number
}

const STATE_KEY = 'gcra'

/**
 * One rate-limit key (`RATE_LIMITER.idFromName(policy + ':' + key)`): its GCRA state, the
 * theoretical arrival time, lives in the object's storage so an evicted or restarted object
 * keeps the window. The state is loaded once, before any request is delivered; after that a
 * check decides and takes its units synchronously — no `await` between checking and taking —
 * so concurrent requests are admitted exactly up to the limit.
 */
export class RateLimiter extends DurableObject<unknown> {
  private state: GcraState | null = null

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env)
    void ctx.blockConcurrencyWhile(async () => {
      this.state = (await ctx.storage.get<GcraState>(STATE_KEY)) ?? null
    })
  }

  /**
   * Decides one request against `limit` and, if it is allowed, takes its units. `traceparent`
   * (the caller's span) parents this call's span, which records the decision.
   */
  check(limit: GcraLimit, traceparent?: string): RateLimitDecision {
    const attributes = { 'rpc.system': 'cloudflare_durable_objects', 'rpc.service': 'RateLimiter', 'rpc.method': 'check' }
    return withSpan('RateLimiter/check', { kind: SpanKind.SERVER, parent: traceparent, attributes }, (span) => {
      const { state, ...decision } = gcra(this.state, limit, Date.now())
      if (decision.allowed) {
        this.state = state
        // Not awaited: the output gate holds this answer until the write is durable, and
        // awaiting here would only let another check run in between.
        void this.ctx.storage.put(STATE_KEY, state)
      }
      span?.setAttributes({ 'ratelimit.allowed': decision.allowed, 'ratelimit.remaining': decision.remaining, 'ratelimit.retry_after_ms': decision.retryAfterMs })
      return decision
    })
  }
}
