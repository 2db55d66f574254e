import { Lru } from '../../../../platform/cache/lru'

/** Longer than a D1 replica takes to catch up on a write, with a wide margin. */
const WINDOW_MS = 30_000
const MAX_USERS = 10_000

/**
 * The users this isolate changed within the last WINDOW_MS (a rename, an erasure): their own
 * reads go to the primary, so a client reads its write back even where a replica still trails
 * it. Bounded: past MAX_USERS the oldest are forgotten, and their reads go to a replica again.
 */
export class RecentWrites {
  readonly #users: Lru<true>

  constructor(now: () => number = Date.now) {
    this.#users = new Lru<true>({ maxEntries: MAX_USERS, maxBytes: Number.MAX_SAFE_INTEGER, now })
  }

  note(userId: string): void {
    this.#users.set(userId, true, 1, WINDOW_MS)
  }

  has(userId: string): boolean {
    return this.#users.peek(userId) !== undefined
  }
}
