/** Time as the policies see it: injected, so unit tests run on a hand-driven clock. */
export interface Clock {
  now(): number
}

export type Sleep = (ms: number) => Promise<void>

export const systemClock: Clock = { now: () => Date.now() }

export const sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
