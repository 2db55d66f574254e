import type { RateLimitDecision, RateLimitGrant } from '../../../../durable-objects/rate-limiter/client'
import type { GcraTake } from '../../../../durable-objects/rate-limiter/gcra'
import { Lru } from '../../../../platform/cache/lru'
import type { RateLimitPolicy } from './rate-limit-policy'

/**
 * An isolate's leases on rate-limit keys (docs/adr/0040). A busy key's object grants
 * this isolate a few units beyond the request that asked; later requests of the key spend them
 * here, with no Durable Object round trip. Every unit still comes from the object, so all
 * isolates together never admit more than the limit; what a lease costs is the other way:
 * units one isolate holds unspent are not available to another until they are spent, given
 * back, or refilled by time.
 *
 * A key the object refused is refused here, with no round trip, until the `Retry-After` the
 * client was told (docs/adr/0056): however hard a client hammers, its key's object hears from
 * this isolate at most once per that period.
 */
export interface LeaseOptions {
  /** The most one isolate holds of a policy's limit; a policy where that is under 2 units is never leased. */
  maxShare: number
  /** The most units one isolate holds for a key, whatever the limit. */
  maxUnits: number
  /** Units held longer than this are not spent; they are given back on the key's next take. */
  ttlMs: number
  /** Keys with a lease per isolate; the least recently used one's units are dropped beyond it. */
  maxKeys: number
  now: () => number
}

export const DEFAULT_LEASES: Omit<LeaseOptions, 'now'> = { maxShare: 0.05, maxUnits: 64, ttlMs: 1_000, maxKeys: 10_000 }

interface Lease {
  /** Units granted and not yet spent. */
  units: number
  /** The extra units the key's next take asks for: doubles while the lease keeps running low. */
  size: number
  /** The object's `remaining` at its last grant (the held units counted as spent). */
  remaining: number
  /** Local time the quota is whole again per the last grant (the held units counted as spent). */
  resetAt: number
  expiresAt: number
  /** A take of this key is on its way to the object: no second one asks for extra units. */
  asking: boolean
  /** Local time until which the key is refused here: the end of the `Retry-After` its last refusal told the client. */
  refusedUntil: number
}

/** A take to send to the object for a key, and what to do with its answer. */
export interface Ask {
  take: Pick<GcraTake, 'cost' | 'extra' | 'refund'>
  /** Records the object's grant; answers the asking request's own decision (a refill ignores it). */
  settle(grant: RateLimitGrant): RateLimitDecision
  /** The object did not answer: nothing was granted, nothing given back is lost for good. */
  fail(): void
}

export class RateLimitLeases {
  readonly #options: LeaseOptions
  readonly #leases: Lru<Lease>

  constructor(options: LeaseOptions) {
    this.#options = options
    this.#leases = new Lru<Lease>({ maxEntries: options.maxKeys, maxBytes: Number.MAX_SAFE_INTEGER, now: options.now })
  }

  /** Spends a unit this isolate holds for the key: the request's decision, or null when it must ask the object. */
  spend(policy: RateLimitPolicy, key: string): RateLimitDecision | null {
    const lease = this.#leases.get(leaseKey(policy, key))
    if (!lease || lease.units === 0 || this.#options.now() >= lease.expiresAt) return null
    lease.units -= 1
    return this.#decision(policy, lease)
  }

  /**
   * The refusal of a key the object refused, until the `Retry-After` it was given ends; null
   * when the key must ask (call after `spend`: units this isolate holds are spent first).
   */
  refusal(policy: RateLimitPolicy, key: string): RateLimitDecision | null {
    const lease = this.#leases.get(leaseKey(policy, key))
    const now = this.#options.now()
    if (!lease || now >= lease.refusedUntil) return null
    return { allowed: false, remaining: 0, resetMs: Math.max(0, lease.resetAt - now), retryAfterMs: lease.refusedUntil - now }
  }

  /** The take for a request that found no unit here: its own unit, plus extra ones for a busy key. */
  ask(policy: RateLimitPolicy, key: string): Ask {
    const lease = this.#lease(policy, key)
    return this.#ask(policy, lease, 1)
  }

  /** A refill to run in the background when the key's lease runs low and none is on its way; otherwise null. */
  refill(policy: RateLimitPolicy, key: string): Ask | null {
    const lease = this.#leases.peek(leaseKey(policy, key))
    if (!lease || lease.asking || lease.size === 0 || lease.units * 2 > lease.size) return null
    return this.#ask(policy, lease, 0)
  }

  /** A take of `cost` units (0: a refill) that tops the lease up to its size. */
  #ask(policy: RateLimitPolicy, lease: Lease, cost: number): Ask {
    const now = this.#options.now()
    // Units held past their time go back to the object with this take, and the key asks for
    // fewer, this take included: it did not need that many.
    const refund = now >= lease.expiresAt ? lease.units : 0
    if (refund > 0) {
      lease.units = 0
      lease.size = Math.floor(lease.size / 2)
    }
    const extra = lease.size - lease.units
    // The first take on its way for a key leads; takes beside it ask for their own unit only.
    const leads = !lease.asking
    lease.asking = true
    const settle = (grant: RateLimitGrant): RateLimitDecision => {
      const at = this.#options.now()
      if (leads) {
        lease.asking = false
        // The lease ran dry (or low) while in use: the key is busier than its lease, so double it.
        if (refund === 0) lease.size = Math.min(capOf(policy, this.#options), Math.max(1, lease.size * 2))
      }
      lease.units += grant.extra
      lease.remaining = grant.remaining
      lease.resetAt = at + grant.resetMs
      if (grant.extra > 0) lease.expiresAt = at + this.#options.ttlMs
      if (grant.allowed) return this.#decision(policy, lease)
      // Refused by the object while a refill granted this isolate units in the meantime: those
      // are this key's quota too, so spend one rather than refuse while holding them.
      if (lease.units > 0 && at < lease.expiresAt) {
        lease.units -= 1
        return this.#decision(policy, lease)
      }
      // Until the Retry-After this refusal tells the client (whole seconds, as the header says), refuse here.
      if (cost > 0 && Number.isFinite(grant.retryAfterMs))
        lease.refusedUntil = at + Math.max(1, Math.ceil(grant.retryAfterMs / 1_000)) * 1_000
      return grant
    }
    const fail = () => {
      if (leads) lease.asking = false
    }
    return { take: { cost, extra: leads ? extra : 0, refund }, settle, fail }
  }

  #lease(policy: RateLimitPolicy, key: string): Lease {
    const name = leaseKey(policy, key)
    const known = this.#leases.get(name)
    if (known) return known
    const lease: Lease = { units: 0, size: 0, remaining: policy.limit, resetAt: 0, expiresAt: 0, asking: false, refusedUntil: 0 }
    this.#leases.set(name, lease, 1, Number.POSITIVE_INFINITY)
    return lease
  }

  /** Allowed, with what remains counting the units this isolate still holds. */
  #decision(policy: RateLimitPolicy, lease: Lease): RateLimitDecision {
    const interval = policy.periodMs / policy.limit
    const resetMs = Math.max(0, lease.resetAt - lease.units * interval - this.#options.now())
    return { allowed: true, remaining: lease.remaining + lease.units, resetMs, retryAfterMs: 0 }
  }
}

const leaseKey = (policy: RateLimitPolicy, key: string) => `${policy.name}:${key}`

/** The most units one isolate may hold for a key of this policy; 0 when the policy is too small to lease. */
function capOf(policy: RateLimitPolicy, options: Pick<LeaseOptions, 'maxShare' | 'maxUnits'>): number {
  const cap = Math.min(options.maxUnits, Math.floor(policy.limit * options.maxShare))
  return cap < 2 ? 0 : cap
}
