import { describe, expect, it } from 'vitest'
import { TimeoutError, withTimeout, type Timers } from './timeout'

/** Timers a test fires by hand. */
function manualTimers() {
  const pending = new Map<number, () => void>()
  let next = 0
  const timers: Timers = {
    setTimeout: (run) => (pending.set(++next, run), next),
    clearTimeout: (handle) => void pending.delete(handle as number),
  }
  return {
    timers,
    pending,
    fireAll: () => {
      for (const run of pending.values()) run()
    },
  }
}

describe('timeout', () => {
  it('rejects with TimeoutError and aborts the call’s signal when time runs out', async () => {
    const { timers, fireAll } = manualTimers()
    let signal: AbortSignal | undefined
    const call = withTimeout(100, (s) => ((signal = s), new Promise<never>(() => {})), timers)
    fireAll()
    await expect(call).rejects.toBeInstanceOf(TimeoutError)
    expect(signal?.aborted).toBe(true)
  })

  it('answers the call’s result and clears its timer when the call is in time', async () => {
    const { timers, pending } = manualTimers()
    expect(await withTimeout(100, async () => 'done', timers)).toBe('done')
    expect(pending.size).toBe(0)
  })

  it('passes on the call’s own failure, thrown or rejected, and clears its timer', async () => {
    const { timers, pending } = manualTimers()
    const failure = new Error('refused')
    await expect(withTimeout(100, () => Promise.reject(failure), timers)).rejects.toBe(failure)
    await expect(
      withTimeout(
        100,
        () => {
          throw failure
        },
        timers,
      ),
    ).rejects.toBe(failure)
    expect(pending.size).toBe(0)
  })

  it('stays a timeout when the aborted call rejects afterwards', async () => {
    const { timers, fireAll } = manualTimers()
    const call = withTimeout(
      100,
      (signal) => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
      timers,
    )
    fireAll()
    await expect(call).rejects.toBeInstanceOf(TimeoutError)
  })
})
