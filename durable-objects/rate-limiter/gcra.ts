/**
 * GCRA (generic cell rate algorithm): a leaky bucket kept as one number, the theoretical
 * arrival time (TAT). A policy of `limit` per `periodMs` emits one unit every
 * `periodMs / limit` ms and tolerates a burst of `limit` units, so an idle key may spend its
 * whole quota at once and then refills smoothly. Pure: the caller passes the clock.
 */

/** What a rate limiter remembers per key: the theoretical arrival time, in epoch ms. */
export interface GcraState {
  tat: number
}

export interface GcraLimit {
  /** Units per period; also the burst. A positive integer. */
  limit: number
  /** The period in ms; a positive integer. */
  periodMs: number
  /** Units this request takes; 1 unless said otherwise. */
  cost?: number
}

export interface GcraDecision {
  allowed: boolean
  /** Units still available after this decision. */
  remaining: number
  /** Until the key's quota is whole again, in ms. */
  resetMs: number
  /** Until a request of this cost would be allowed, in ms: 0 if allowed, Infinity if it never can be. */
  retryAfterMs: number
  /** The state to store; unchanged when the request is refused. */
  state: GcraState
}

// Periods that do not divide by the limit make fractional intervals; a rounding error must
// never refuse the last unit of a burst or hand out one more.
const EPSILON_MS = 1e-6

/** Throws on a limit that is a bug in the caller (configuration is validated before this). */
export function assertLimit({ limit, periodMs, cost = 1 }: GcraLimit): void {
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new RangeError(`limit must be a positive integer, got ${limit}`)
  if (!Number.isSafeInteger(periodMs) || periodMs <= 0) throw new RangeError(`periodMs must be a positive integer, got ${periodMs}`)
  if (!Number.isSafeInteger(cost) || cost <= 0) throw new RangeError(`cost must be a positive integer, got ${cost}`)
}

/** Decides one request at `now`; takes its units from the state only if it is allowed. */
export function gcra(state: GcraState | null, policy: GcraLimit, now: number): GcraDecision {
  assertLimit(policy)
  const { limit, periodMs, cost = 1 } = policy
  const interval = periodMs / limit
  const tat = Math.max(state?.tat ?? now, now)
  const remainingAt = (nextTat: number) => Math.max(0, Math.floor((periodMs - (nextTat - now)) / interval + EPSILON_MS))
  if (cost > limit) {
    return { allowed: false, remaining: remainingAt(tat), resetMs: tat - now, retryAfterMs: Number.POSITIVE_INFINITY, state: { tat } }
  }
  const newTat = tat + cost * interval
  const allowAt = newTat - periodMs
  if (allowAt - now > EPSILON_MS) {
    return { allowed: false, remaining: remainingAt(tat), resetMs: tat - now, retryAfterMs: allowAt - now, state: { tat } }
  }
  return { allowed: true, remaining: remainingAt(newTat), resetMs: newTat - now, retryAfterMs: 0, state: { tat: newTat } }
}

/** Milliseconds as the whole seconds HTTP headers carry, rounded up: a client that waits that long is never early. */
export function toSeconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000 - EPSILON_MS / 1000))
}

/** A take: the request's own units (all or nothing) and, for an isolate's lease, more if they are there. */
export interface GcraTake extends GcraLimit {
  /** Further units wanted beyond `cost`, granted as far as the quota allows (0 or more). */
  extra?: number
  /** Units taken earlier and never used, given back first (they were counted, not spent). */
  refund?: number
}

export interface GcraGrant extends GcraDecision {
  /** The further units granted: 0 when refused, at most `extra`. */
  extra: number
}

/**
 * Decides a take at `now`: gives back `refund` units, then takes `cost` units if they are all
 * there (`cost` may be 0: a lease refill with no request of its own) and up to `extra` more.
 * Never grants a unit `gcra` would refuse, so leases of every isolate together never exceed
 * the limit. The returned state is to be stored whether or not the take is allowed (a refund
 * changes it either way).
 */
export function gcraTake(state: GcraState | null, take: GcraTake, now: number): GcraGrant {
  const { cost = 1, extra = 0, refund = 0, ...policy } = take
  assertLimit(policy)
  for (const [name, units] of Object.entries({ cost, extra, refund })) {
    if (!Number.isSafeInteger(units) || units < 0) throw new RangeError(`${name} must be a whole number of units, got ${units}`)
  }
  const interval = policy.periodMs / policy.limit
  const tat = Math.max(now, (state?.tat ?? now) - refund * interval)
  const available = Math.max(0, Math.floor((policy.periodMs - (tat - now)) / interval + EPSILON_MS))
  const granted = cost <= available ? Math.min(extra, available - cost) : 0
  if (cost + granted === 0) {
    return { allowed: true, remaining: available, resetMs: tat - now, retryAfterMs: 0, state: { tat }, extra: 0 }
  }
  return { ...gcra({ tat }, { ...policy, cost: cost + granted }, now), extra: granted }
}
