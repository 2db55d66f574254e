/**
 * Concurrent loads of one key in one isolate share one load: the first caller (the leader) runs
 * it, the others (followers) take its result. The flight is forgotten once it settles, success
 * or failure, so a failure is never cached and the next caller loads again.
 *
 * The callers are different requests, and in Workers a request's I/O — streams, bodies, a KV or
 * D1 call, and the continuations that I/O resolves — belongs to that request. The rule
 * (docs/adr/0017, "Single-flight across requests"):
 * - Only plain data crosses requests: `load` answers values it has fully read (never a stream,
 *   Response or binding result still being read), and the leader leaves that value in the
 *   flight.
 * - No request is woken by another: a follower neither awaits the leader's promise nor a promise
 *   of its own that the leader resolves (under load in workerd, both ran followers' code in the
 *   wrong request: "Cannot perform I/O on behalf of a different request", a 500). It looks at the
 *   flight on its own timer, every `pollMs`.
 * - A follower whose leader failed, or has not answered within `followerWaitMs` (its request
 *   was cancelled or ended, and its code with it), loads on its own, in its own request; the
 *   next caller starts a new flight. A cache read never fails because another request did.
 */
export type SingleFlight<V> = (key: string, load: () => Promise<V>) => Promise<V>

export interface SingleFlightOptions {
  /** How long a follower waits for its leader before loading on its own. */
  followerWaitMs?: number
  /** How often a follower looks whether its leader has answered. */
  pollMs?: number
}

/** Far longer than a healthy KV or D1 read: only a leader whose request went away takes that long. */
export const FOLLOWER_WAIT_MS = 2_000
export const FOLLOWER_POLL_MS = 1

/** What a flight ended with: the leader's value, or that it has none to share. */
type Outcome<V> = { ok: true; value: V } | { ok: false }

interface Flight<V> {
  outcome: Outcome<V> | null
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export function singleFlight<V>({
  followerWaitMs = FOLLOWER_WAIT_MS,
  pollMs = FOLLOWER_POLL_MS,
}: SingleFlightOptions = {}): SingleFlight<V> {
  const inFlight = new Map<string, Flight<V>>()

  async function lead(key: string, load: () => Promise<V>): Promise<V> {
    const flight: Flight<V> = { outcome: null }
    inFlight.set(key, flight)
    let outcome: Outcome<V> = { ok: false }
    try {
      const value = await load()
      outcome = { ok: true, value }
      return value
    } finally {
      flight.outcome = outcome
      if (inFlight.get(key) === flight) inFlight.delete(key)
    }
  }

  async function follow(key: string, flight: Flight<V>, load: () => Promise<V>): Promise<V> {
    const deadline = Date.now() + followerWaitMs
    while (!flight.outcome && Date.now() < deadline) await pause(pollMs)
    if (flight.outcome?.ok) return flight.outcome.value
    // No value to share: a flight that never answered is not joined again.
    if (inFlight.get(key) === flight) inFlight.delete(key)
    return load()
  }

  return function shared(key, load) {
    const flight = inFlight.get(key)
    return flight ? follow(key, flight, load) : lead(key, load)
  }
}
