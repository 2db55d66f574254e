import { describe, expect, it } from 'vitest'
import { gcraTake, type GcraState, type GcraTake } from '../../../../durable-objects/rate-limiter/gcra'
import type { RateLimitDecision, RateLimitGrant } from '../../../../durable-objects/rate-limiter/client'
import { DEFAULT_LEASES, RateLimitLeases } from './rate-limit-lease'
import { parsePolicy, type RateLimitPolicy } from './rate-limit-policy'

const T0 = Date.UTC(2026, 10, 26, 4, 0, 0)

/** One key's object, as the RateLimiter Durable Object decides it (the same pure GCRA), with a count of takes. */
function objectFor(policy: RateLimitPolicy, clock: { now: number }) {
  let state: GcraState | null = null
  const object = {
    takes: 0,
    take(take: Pick<GcraTake, 'cost' | 'extra' | 'refund'>): RateLimitGrant {
      object.takes += 1
      const { state: next, ...grant } = gcraTake(state, { limit: policy.limit, periodMs: policy.periodMs, ...take }, clock.now)
      state = next
      return grant
    },
  }
  return object
}

function isolate(clock: { now: number }, options: Partial<typeof DEFAULT_LEASES> = {}) {
  return new RateLimitLeases({ ...DEFAULT_LEASES, ...options, now: () => clock.now })
}

/** What the middleware does for one request whose take is answered at once. */
function request(leases: RateLimitLeases, object: ReturnType<typeof objectFor>, policy: RateLimitPolicy, key = 'usr_1'): RateLimitDecision {
  const held = leases.spend(policy, key)
  if (held) {
    const refill = leases.refill(policy, key)
    if (refill) refill.settle(object.take(refill.take))
    return held
  }
  const refusal = leases.refusal(policy, key)
  if (refusal) return refusal
  const ask = leases.ask(policy, key)
  return ask.settle(object.take(ask.take))
}

const USER = parsePolicy('user', '600/60')
const AUTH = parsePolicy('auth', '10/60')

describe('RateLimitLeases', () => {
  it('never leases a small policy: every request is one exact take of one unit', () => {
    const clock = { now: T0 }
    const object = objectFor(AUTH, clock)
    const leases = isolate(clock)
    const decisions = Array.from({ length: 11 }, () => request(leases, object, AUTH, '203.0.113.7'))
    expect(object.takes).toBe(11)
    expect(decisions.map((d) => d.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0])
    expect(decisions.map((d) => d.allowed)).toEqual([...Array.from({ length: 10 }, () => true), false])
  })

  it('counts down exactly as an unleased limiter in one isolate, with far fewer takes', () => {
    const clock = { now: T0 }
    const object = objectFor(USER, clock)
    const leases = isolate(clock)
    const decisions = Array.from({ length: 200 }, () => request(leases, object, USER))
    expect(decisions.map((d) => d.remaining)).toEqual(Array.from({ length: 200 }, (_, i) => 599 - i))
    // Exactly what the object would say with no lease: the held units are counted as remaining.
    expect(decisions.map((d) => d.resetMs)).toEqual(Array.from({ length: 200 }, (_, i) => (i + 1) * 100))
    expect(object.takes).toBeLessThan(20)
  })

  it('admits exactly the limit across isolates sharing one key, then refuses everywhere', () => {
    const clock = { now: T0 }
    const object = objectFor(USER, clock)
    const isolates = [isolate(clock), isolate(clock), isolate(clock)]
    let admitted = 0
    for (let i = 0; i < 900; i += 1) {
      // A deterministic but uneven spread over the isolates.
      const decision = request(isolates[(i * 7 + (i >> 3)) % 3]!, object, USER)
      if (decision.allowed) admitted += 1
    }
    // Units held unspent in an isolate are never admitted twice, and the limit is never passed.
    expect(admitted).toBeLessThanOrEqual(600)
    expect(admitted).toBeGreaterThanOrEqual(600 - 3 * 30)
    const after = isolates.map((leases) => request(leases, object, USER))
    expect(after.some((decision) => decision.allowed)).toBe(false)
  })

  it('holds at most the policy share or the unit cap, whichever is smaller', () => {
    const clock = { now: T0 }
    const huge = parsePolicy('user', '6000000/3600')
    const object = objectFor(huge, clock)
    const leases = isolate(clock)
    for (let i = 0; i < 1000; i += 1) request(leases, object, huge)
    expect(huge.limit - 1000 - object.take({ cost: 0 }).remaining).toBeLessThanOrEqual(DEFAULT_LEASES.maxUnits)
    const user = objectFor(USER, clock)
    const userLeases = isolate(clock)
    for (let i = 0; i < 100; i += 1) request(userLeases, user, USER)
    expect(600 - 100 - user.take({ cost: 0 }).remaining).toBeLessThanOrEqual(30)
  })

  it('does not spend units held past their time; the next take gives them back and asks for fewer', () => {
    const clock = { now: T0 }
    const object = objectFor(USER, clock)
    const leases = isolate(clock)
    for (let i = 0; i < 10; i += 1) request(leases, object, USER)
    const held = 600 - 10 - object.take({ cost: 0 }).remaining
    expect(held).toBeGreaterThan(0)
    clock.now += DEFAULT_LEASES.ttlMs
    expect(leases.spend(USER, 'usr_1')).toBeNull()
    const ask = leases.ask(USER, 'usr_1')
    expect(ask.take.refund).toBe(held)
    // The lease had grown to its cap of 30 (5 % of 600); units left over halve it.
    expect(ask.take.extra).toBe(15)
    const grant = object.take(ask.take)
    expect(ask.settle(grant).allowed).toBe(true)
    // Nothing lost: the 10 units spent a second ago have refilled and the held ones came back, so
    // all that is not remaining is this request's unit and the new lease.
    expect(grant.remaining + 1 + grant.extra).toBe(600)
  })

  it('lets one take per key lead: takes beside it ask for their own unit only, and a failed one frees the key', () => {
    const clock = { now: T0 }
    const object = objectFor(USER, clock)
    const leases = isolate(clock)
    for (let i = 0; i < 3; i += 1) request(leases, object, USER)
    while (leases.spend(USER, 'usr_1')) {
      // Spend what is held without refilling, so the next requests must ask.
    }
    const lead = leases.ask(USER, 'usr_1')
    const beside = leases.ask(USER, 'usr_1')
    expect(lead.take.extra).toBeGreaterThan(0)
    expect(beside.take.extra).toBe(0)
    expect(leases.refill(USER, 'usr_1')).toBeNull()
    lead.fail()
    expect(leases.ask(USER, 'usr_1').take.extra).toBeGreaterThan(0)
  })

  it('admits a request the object refused when a take beside it brought units: never refused while holding some', () => {
    const clock = { now: T0 }
    const policy = parsePolicy('user', '100/3600')
    const object = objectFor(policy, clock)
    const leases = isolate(clock)
    for (let i = 0; i < 3; i += 1) request(leases, object, policy)
    while (leases.spend(policy, 'usr_1')) {
      // Spend what is held without refilling.
    }
    // Leave the object 2 units: the leading take gets its own and 1 extra, the one beside it none.
    object.take({ cost: object.take({ cost: 0 }).remaining - 2 })
    const lead = leases.ask(policy, 'usr_1')
    const beside = leases.ask(policy, 'usr_1')
    const leadGrant = object.take(lead.take)
    const besideGrant = object.take(beside.take)
    expect(leadGrant).toMatchObject({ allowed: true, extra: 1 })
    expect(besideGrant.allowed).toBe(false)
    expect(lead.settle(leadGrant).allowed).toBe(true)
    expect(beside.settle(besideGrant)).toMatchObject({ allowed: true, remaining: 0 })
    expect(request(leases, object, policy).allowed).toBe(false)
  })

  it('refills in the background once half the lease is spent, for what is missing', () => {
    const clock = { now: T0 }
    const object = objectFor(USER, clock)
    const leases = isolate(clock)
    for (let i = 0; i < 40; i += 1) request(leases, object, USER)
    let refill = null
    while (!refill && leases.spend(USER, 'usr_1')) refill = leases.refill(USER, 'usr_1')
    expect(refill).not.toBeNull()
    expect(refill!.take.cost).toBe(0)
    expect(refill!.take.extra).toBeGreaterThan(0)
    expect(refill!.take.extra).toBeLessThanOrEqual(30)
  })

  it('forgets the least recently used key beyond its bound', () => {
    const clock = { now: T0 }
    const leases = isolate(clock, { maxKeys: 2 })
    const objects = ['a', 'b', 'c'].map(() => objectFor(USER, clock))
    for (let round = 0; round < 3; round += 1) {
      for (const [i, key] of ['a', 'b', 'c'].entries()) request(leases, objects[i]!, USER, key)
    }
    // Three keys in turn through a bound of two: each key was evicted before it came back, so none ever held a lease.
    expect(objects.map((object) => object.takes)).toEqual([3, 3, 3])
  })

  it('refuses a refused key locally until the Retry-After it was told, then asks the object again', () => {
    const clock = { now: T0 }
    const object = objectFor(AUTH, clock)
    const leases = isolate(clock)
    for (let i = 0; i < 10; i += 1) request(leases, object, AUTH, '203.0.113.9')
    const refused = request(leases, object, AUTH, '203.0.113.9')
    expect(refused.allowed).toBe(false)
    // GCRA at 10 a minute: one unit back every 6 s, so the client was told Retry-After: 6.
    expect(Math.ceil(refused.retryAfterMs / 1_000)).toBe(6)
    const takes = object.takes
    const hammered = Array.from({ length: 1_000 }, () => request(leases, object, AUTH, '203.0.113.9'))
    expect(hammered.every((decision) => !decision.allowed)).toBe(true)
    expect(object.takes).toBe(takes)
    // Each local refusal counts the same Retry-After down; never past the moment the object admits again.
    clock.now += 2_500
    expect(Math.ceil(request(leases, object, AUTH, '203.0.113.9').retryAfterMs / 1_000)).toBe(4)
    expect(object.takes).toBe(takes)
    clock.now += 3_500
    expect(request(leases, object, AUTH, '203.0.113.9').allowed).toBe(true)
    expect(object.takes).toBe(takes + 1)
  })

  it('a hot key hammered far over its limit costs its object about one take per Retry-After per isolate', () => {
    const clock = { now: T0 }
    const anonymous = parsePolicy('anonymous', '120/60')
    const object = objectFor(anonymous, clock)
    const isolates = [isolate(clock), isolate(clock), isolate(clock)]
    let admitted = 0
    // 10 seconds of 1,000 requests a second from one client IP, spread over three isolates.
    for (let ms = 0; ms < 10_000; ms += 1) {
      clock.now = T0 + ms
      if (request(isolates[ms % 3]!, object, anonymous, '198.51.100.7').allowed) admitted += 1
    }
    expect(admitted).toBeLessThanOrEqual(120 + 20)
    // Without local refusal every one of the ~9,900 refused requests would have been a take.
    expect(object.takes).toBeLessThan(200)
  })
})
