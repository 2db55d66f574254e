import { singleFlight } from './single-flight'

/** A generation and how long this isolate may use it without asking the source again. */
export interface KnownGeneration {
  generation: number
  /**
   * The moment (ms since the epoch) its confirmation is `checkMs` old: the source was asked when
   * the read was sent, so every bump committed before then is in `generation`.
   */
  freshUntil: number
}

/**
 * An isolate's view of a cache namespace's generation (the number in every key). It asks the
 * source (a strongly consistent store) at most once per `checkMs`, one request at a time, so a
 * bump reaches every isolate within `checkMs` of being committed.
 */
export interface GenerationView {
  /** Plain data, shared by the requests of one check (docs/adr/0017, "Single-flight across requests"). */
  current(): Promise<KnownGeneration>
  /** Asks the source again on the next `current()` (after this isolate bumped it, say). */
  expire(): void
}

export interface GenerationOptions {
  read: () => Promise<number>
  checkMs: number
  now: () => number
}

export function generationView({ read, checkMs, now }: GenerationOptions): GenerationView {
  const shared = singleFlight<KnownGeneration>()
  let known: KnownGeneration | null = null
  return {
    async current() {
      if (known && now() < known.freshUntil) return known
      return shared('generation', async () => {
        const asked = now()
        known = { generation: await read(), freshUntil: asked + checkMs }
        return known
      })
    },
    expire() {
      known = null
    },
  }
}
