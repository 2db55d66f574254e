import { describe, expect, it } from 'vitest'
import { cacheLevelRecorder } from './metrics'

describe('cacheLevelRecorder', () => {
  it('writes one data point per read, with the level that answered', () => {
    const points: AnalyticsEngineDataPoint[] = []
    const record = cacheLevelRecorder({ writeDataPoint: (point) => points.push(point!) }, 'inventory', 'products')
    record('l1')
    record('source')
    expect(points).toEqual([
      { indexes: ['products'], blobs: ['cache', 'inventory', 'products', 'l1'], doubles: [1] },
      { indexes: ['products'], blobs: ['cache', 'inventory', 'products', 'source'], doubles: [1] },
    ])
  })

  it('records nothing without a dataset, and never throws', () => {
    expect(() => cacheLevelRecorder(undefined, 'inventory', 'products')('l2')).not.toThrow()
    const failing = cacheLevelRecorder(
      {
        writeDataPoint: () => {
          throw new Error('full')
        },
      },
      'inventory',
      'products',
    )
    expect(() => failing('l2')).not.toThrow()
  })
})
