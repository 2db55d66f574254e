/**
 * A bulkhead: at most `capacity` calls to one downstream in flight per isolate. There is no
 * queue — a call over the cap is refused at once, so one slow service cannot tie up every
 * request the isolate is serving.
 */
export interface Bulkhead {
  /** A release function for the slot, or null when the bulkhead is full. */
  tryEnter(): (() => void) | null
  readonly active: number
  readonly capacity: number
}

export function createBulkhead(capacity: number): Bulkhead {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`bulkhead capacity must be a positive integer, got ${capacity}`)
  let active = 0
  return {
    tryEnter() {
      if (active >= capacity) return null
      active += 1
      let released = false
      return () => {
        if (released) return
        released = true
        active -= 1
      }
    },
    get active() {
      return active
    },
    capacity,
  }
}
