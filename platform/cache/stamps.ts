import { singleFlight } from './single-flight'

/** The stamp of each key an entry holds, as the source had them when the entry was filled. */
export type Stamps = Readonly<Record<string, number>>

/** What the source answers a check: the stamps above `after` (or changed since `since`) and the highest there is. */
export interface StampChanges {
  stamps: readonly { key: string; stamp: number }[]
  high: number
}

/**
 * A strongly consistent store of stamps. Stamps are one growing sequence: every bump takes the
 * next number, so "what changed since the last check" is the keys above the highest seen.
 */
export interface StampSource {
  /**
   * `after` null (this isolate's first check): every key changed after `since` (ms since the
   * epoch). Otherwise every key whose stamp is above `after`.
   */
  changes(after: number | null, since: number): Promise<StampChanges>
}

/** An isolate's knowledge of the stamps, and how long it may use it without asking again. */
export interface KnownStamps {
  /**
   * The latest stamp seen for `key`; undefined when `key` has not changed within the window,
   * so no entry young enough to be served predates its last change.
   */
  stampOf(key: string): number | undefined
  /** The moment (ms since the epoch) this knowledge is `checkMs` old: the source was asked when the check was sent. */
  freshUntil: number
}

/** Whether an entry still shows what the source holds: none of its keys changed after its fill. */
export function isCurrent(stamps: Stamps, known: KnownStamps): boolean {
  for (const [key, stamp] of Object.entries(stamps)) {
    const latest = known.stampOf(key)
    if (latest !== undefined && latest > stamp) return false
  }
  return true
}

/**
 * An isolate's view of the stamps. It asks the source at most once per `checkMs`, one request
 * at a time, and only for what changed since it last asked, so a bump reaches every isolate
 * within `checkMs` of being committed, whatever the number of reads.
 */
export interface StampView {
  /** Plain data, shared by the requests of one check (docs/adr/0017, "Single-flight across requests"). */
  current(): Promise<KnownStamps>
  /** Asks the source again on the next `current()` (after this isolate wrote, say). */
  expire(): void
  /**
   * Takes stamps this isolate read in the batch of its own write (so exactly what the write
   * left), without asking the source: entries holding older stamps of those keys stop being
   * served at once. What else changed is learnt at the next check, as before.
   */
  learn(stamps: Stamps): void
}

export interface StampViewOptions {
  source: StampSource
  checkMs: number
  /**
   * How far back a first check looks, and how long a seen stamp is kept: longer than any entry
   * is served (the L2 TTL) plus a margin for the clocks of writers and readers.
   */
  windowMs: number
  now: () => number
}

export function stampView({ source, checkMs, windowMs, now }: StampViewOptions): StampView {
  const shared = singleFlight<KnownStamps>()
  // The latest stamp of each key changed within the window, and when this isolate learned it.
  const seen = new Map<string, { stamp: number; at: number }>()
  const stampOf = (key: string) => seen.get(key)?.stamp
  const note = (key: string, stamp: number, at: number) => {
    if (stamp > (seen.get(key)?.stamp ?? 0)) seen.set(key, { stamp, at })
  }
  let high: number | null = null
  let known: KnownStamps | null = null
  return {
    async current() {
      if (known && now() < known.freshUntil) return known
      return shared('stamps', async () => {
        const asked = now()
        const changes = await source.changes(high, asked - windowMs)
        for (const { key, stamp } of changes.stamps) note(key, stamp, asked)
        // A key learned before the window changed before it: every entry still served was filled after that change.
        for (const [key, { at }] of seen) if (at < asked - windowMs) seen.delete(key)
        high = Math.max(high ?? 0, changes.high)
        known = { stampOf, freshUntil: asked + checkMs }
        return known
      })
    },
    expire() {
      known = null
    },
    // `high` stays: the next check still asks for everything above what it last saw.
    learn(stamps) {
      const at = now()
      for (const [key, stamp] of Object.entries(stamps)) note(key, stamp, at)
    },
  }
}
