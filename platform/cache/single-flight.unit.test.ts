import { describe, expect, it } from 'vitest'
import { singleFlight } from './single-flight'

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

describe('singleFlight', () => {
  it('runs one load for concurrent callers of a key, and they all get its value', async () => {
    const shared = singleFlight<number>()
    const gate = deferred<number>()
    let loads = 0
    const load = () => ((loads += 1), gate.promise)
    const callers = Array.from({ length: 10 }, () => shared('k', load))
    gate.resolve(42)
    expect(await Promise.all(callers)).toEqual(Array(10).fill(42))
    expect(loads).toBe(1)
  })

  it('keeps keys apart', async () => {
    const shared = singleFlight<string>()
    expect(await Promise.all([shared('a', async () => 'A'), shared('b', async () => 'B')])).toEqual(['A', 'B'])
  })

  it('a failed leader fails alone: its followers load on their own, and the next caller starts afresh', async () => {
    const shared = singleFlight<number>()
    const gate = deferred<number>()
    let loads = 0
    const leader = shared('k', () => ((loads += 1), gate.promise))
    const followers = [shared('k', async () => ((loads += 1), 7)), shared('k', async () => ((loads += 1), 8))]
    gate.reject(new Error("the leader's request was cancelled"))
    await expect(leader).rejects.toThrow('cancelled')
    expect(await Promise.all(followers)).toEqual([7, 8])
    expect(await shared('k', async () => ((loads += 1), 9))).toBe(9)
    expect(loads).toBe(4)
  })

  it('a leader that never answers (its request went away): followers load on their own after followerWaitMs, later callers start a new flight', async () => {
    const shared = singleFlight<number>({ followerWaitMs: 5 })
    let loads = 0
    void shared('k', () => ((loads += 1), new Promise<number>(() => {})))
    expect(await shared('k', async () => ((loads += 1), 1))).toBe(1)
    const gate = deferred<number>()
    const next = [shared('k', () => ((loads += 1), gate.promise)), shared('k', async () => ((loads += 1), -1))]
    gate.resolve(2)
    expect(await Promise.all(next)).toEqual([2, 2])
    expect(loads).toBe(3)
  })

  it("followers get the leader's value itself (plain data), not the promise the leader awaited", async () => {
    const shared = singleFlight<{ n: number }>()
    const gate = deferred<{ n: number }>()
    const callers = [shared('k', () => gate.promise), shared('k', () => gate.promise)]
    const value = { n: 1 }
    gate.resolve(value)
    const [first, second] = await Promise.all(callers)
    expect(first).toBe(value)
    expect(second).toBe(value)
  })

  it('forgets a settled load: a later caller loads fresh', async () => {
    const shared = singleFlight<number>()
    let loads = 0
    await shared('k', async () => (loads += 1))
    await shared('k', async () => (loads += 1))
    expect(loads).toBe(2)
  })
})
