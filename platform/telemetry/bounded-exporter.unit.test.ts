import { afterEach, describe, expect, it, vi } from 'vitest'
import { BoundedExporter } from './bounded-exporter'

type Inner = ConstructorParameters<typeof BoundedExporter>[0]
type Callback = Parameters<Inner['export']>[1]

function exporter(behaviour: (callback: Callback) => void): Inner {
  return { export: (_spans, callback) => behaviour(callback), shutdown: async () => undefined }
}

describe('BoundedExporter', () => {
  afterEach(() => vi.useRealTimers())

  it('gives up an export the collector never answers, after the timeout', () => {
    vi.useFakeTimers()
    const results: unknown[] = []
    new BoundedExporter(
      exporter(() => undefined),
      2_000,
    ).export([], (result) => results.push(result))
    vi.advanceTimersByTime(1_999)
    expect(results).toEqual([])
    vi.advanceTimersByTime(1)
    expect(results).toEqual([{ code: 1, error: expect.objectContaining({ message: 'OTLP export timed out after 2000 ms' }) }])
  })

  it('passes an answer through once, and ignores a late one', () => {
    vi.useFakeTimers()
    const results: unknown[] = []
    let answer: Callback = () => undefined
    new BoundedExporter(
      exporter((callback) => (answer = callback)),
      2_000,
    ).export([], (result) => results.push(result))
    answer({ code: 0 })
    vi.advanceTimersByTime(5_000)
    answer({ code: 1 })
    expect(results).toEqual([{ code: 0 }])
  })

  it('turns an exporter that throws into a failed export', () => {
    const results: unknown[] = []
    new BoundedExporter(
      exporter(() => {
        throw new Error('no network')
      }),
      2_000,
    ).export([], (result) => results.push(result))
    expect(results).toEqual([{ code: 1, error: expect.objectContaining({ message: 'no network' }) }])
  })
})
