import { DurableObject } from 'cloudflare:workers'
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

  /** Decides one request against `limit` and, if it is allowed, takes its units. */
  check(limit: GcraLimit): RateLimitDecision {
    const { state, ...decision } = gcra(this.state, limit, Date.now())
    if (decision.allowed) {
      this.state = state
      // Not awaited: the output gate holds this answer until the write is durable, and
      // awaiting here would only let another check run in between.
      void this.ctx.storage.put(STATE_KEY, state)
    }
    return decision
  }
}
