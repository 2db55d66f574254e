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

  it('forgets a failed load: its callers see the failure, the next caller loads again', async () => {
    const shared = singleFlight<number>()
    const gate = deferred<number>()
    let loads = 0
    const failing = [shared('k', () => ((loads += 1), gate.promise)), shared('k', () => ((loads += 1), gate.promise))]
    gate.reject(new Error('source down'))
    for (const caller of failing) await expect(caller).rejects.toThrow('source down')
    expect(await shared('k', async () => ((loads += 1), 7))).toBe(7)
    expect(loads).toBe(2)
  })

  it('forgets a settled load: a later caller loads fresh', async () => {
    const shared = singleFlight<number>()
    let loads = 0
    await shared('k', async () => (loads += 1))
    await shared('k', async () => (loads += 1))
    expect(loads).toBe(2)
  })
})
