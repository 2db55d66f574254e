/** Thrown (and used as the abort reason) when a call outlives its time. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError'
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`)
  }
}

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

const globalTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/**
 * Runs `call` with a signal that aborts after `ms`; rejects with TimeoutError then, even if the
 * call ignores its signal. Once the call settles the timer is gone: a response body streamed
 * afterwards is not cut off.
 */
export function withTimeout<T>(ms: number, call: (signal: AbortSignal) => Promise<T>, timers: Timers = globalTimers): Promise<T> {
  const controller = new AbortController()
  // One promise settled by whichever comes first (no race of two promises).
  return new Promise<T>((resolve, reject) => {
    const handle = timers.setTimeout(() => {
      // Reject first: settled as a timeout before the aborted call rejects too.
      reject(new TimeoutError(ms))
      controller.abort()
    }, ms)
    const settled =
      <A>(settle: (value: A) => void) =>
      (value: A) => {
        timers.clearTimeout(handle)
        settle(value)
      }
    let pending: Promise<T>
    try {
      pending = call(controller.signal)
    } catch (error) {
      settled(reject)(error)
      return
    }
    pending.then(settled(resolve), settled(reject))
  })
}

export function isTimeout(error: unknown): boolean {
  return error instanceof TimeoutError || (error instanceof Error && error.name === 'TimeoutError')
}
