import { describe, expect, it } from 'vitest'
import { isCurrent, stampView, type StampChanges, type StampSource } from './stamps'

// The stamp view with an injected clock and a scripted source that records what it was asked.
function setUp(answers: StampChanges[]) {
  let time = 1_000_000
  const asked: [number | null, number][] = []
  const source: StampSource = {
    async changes(after, since) {
      asked.push([after, since])
      return answers.shift() ?? { stamps: [], high: 0 }
    },
  }
  const view = stampView({ source, checkMs: 1_000, windowMs: 60_000, now: () => time })
  return { view, asked, advance: (ms: number) => (time += ms) }
}

describe('stampView', () => {
  it('asks first for what changed within the window, then only for the stamps above the highest seen', async () => {
    const t = setUp([
      { stamps: [{ key: 'product:a', stamp: 7 }], high: 9 },
      { stamps: [{ key: 'product:b', stamp: 10 }], high: 10 },
    ])
    const first = await t.view.current()
    expect([first.stampOf('product:a'), first.stampOf('product:b'), first.freshUntil]).toEqual([7, undefined, 1_001_000])
    t.advance(1_000)
    const second = await t.view.current()
    expect(second.stampOf('product:b')).toBe(10)
    expect(t.asked).toEqual([
      [null, 1_000_000 - 60_000],
      [9, 1_001_000 - 60_000],
    ])
  })

  it('asks at most once per interval, and again at once after expire()', async () => {
    const t = setUp([])
    await Promise.all(Array.from({ length: 5 }, () => t.view.current()))
    t.advance(999)
    await t.view.current()
    expect(t.asked).toHaveLength(1)
    t.view.expire()
    await t.view.current()
    expect(t.asked).toHaveLength(2)
  })

  it('takes the stamps of its own write at once, without asking, and still asks for everything above the highest it saw', async () => {
    const t = setUp([
      { stamps: [{ key: 'product:a', stamp: 3 }], high: 3 },
      {
        stamps: [
          { key: 'product:b', stamp: 4 },
          { key: 'product:a', stamp: 5 },
        ],
        high: 5,
      },
    ])
    const known = await t.view.current()
    t.view.learn({ 'product:a': 5, 'product:c': 2 })
    // Learnt into the knowledge reads already hold.
    expect([known.stampOf('product:a'), known.stampOf('product:c')]).toEqual([5, 2])
    // An older stamp does not replace a newer one.
    t.view.learn({ 'product:a': 4, 'product:c': 6 })
    expect([known.stampOf('product:a'), known.stampOf('product:c')]).toEqual([5, 6])
    expect(t.asked).toHaveLength(1)
    t.advance(1_000)
    // Another isolate's write (b, 4) sits below what this one learnt (c, 6): the check still asks above 3.
    expect((await t.view.current()).stampOf('product:b')).toBe(4)
    expect(t.asked[1]).toEqual([3, 1_001_000 - 60_000])
  })

  it('forgets a stamp learned longer ago than the window: every entry still served was filled after that change', async () => {
    const t = setUp([{ stamps: [{ key: 'product:a', stamp: 3 }], high: 3 }])
    expect((await t.view.current()).stampOf('product:a')).toBe(3)
    t.advance(60_001)
    expect((await t.view.current()).stampOf('product:a')).toBeUndefined()
  })
})

describe('isCurrent', () => {
  const known = { stampOf: (key: string) => ({ 'product:a': 5, list: 2 })[key], freshUntil: 0 }
  it('holds while no stamp of the entry is older than the latest seen', () => {
    expect(isCurrent({ 'product:a': 5, 'product:z': 0 }, known)).toBe(true)
    expect(isCurrent({ list: 2, 'product:a': 5 }, known)).toBe(true)
    expect(isCurrent({ list: 1, 'product:a': 5 }, known)).toBe(false)
    expect(isCurrent({ 'product:a': 4 }, known)).toBe(false)
  })
})
