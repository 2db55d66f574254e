import { singleFlight } from './single-flight'

/**
 * An isolate's view of a cache namespace's generation (the number in every key). It asks the
 * source (a strongly consistent store) at most once per `checkMs`, one request at a time, so a
 * bump reaches every isolate within `checkMs` of being committed.
 */
export interface GenerationView {
  current(): Promise<number>
  /** Asks the source again on the next `current()` (after this isolate bumped it, say). */
  expire(): void
}

export interface GenerationOptions {
  read: () => Promise<number>
  checkMs: number
  now: () => number
}

export function generationView({ read, checkMs, now }: GenerationOptions): GenerationView {
  const shared = singleFlight<number>()
  let known: { generation: number; checkedAt: number } | null = null
  return {
    async current() {
      if (known && now() - known.checkedAt < checkMs) return known.generation
      return shared('generation', async () => {
        const generation = await read()
        known = { generation, checkedAt: now() }
        return generation
      })
    },
    expire() {
      known = null
    },
  }
}
