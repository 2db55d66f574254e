import { describe, expect, it } from 'vitest'
import { analyticsEngineMetrics, isError, noopMetrics, redMetrics } from './metrics'

function dataset() {
  const points: AnalyticsEngineDataPoint[] = []
  return { points, writeDataPoint: (point?: AnalyticsEngineDataPoint) => void points.push(point!) }
}

describe('RED metrics', () => {
  it('writes a downstream call that got no answer as an error, with no status', () => {
    const target = dataset()
    analyticsEngineMetrics(target, 'gateway').downstream({
      service: 'payments',
      route: '/api/v1/payments',
      method: 'GET',
      outcome: 'timeout',
      durationMs: 5000,
    })
    expect(target.points).toEqual([
      {
        indexes: ['payments'],
        blobs: ['downstream', 'gateway', '/api/v1/payments', 'GET', 'timeout', 'timeout', 'payments'],
        doubles: [5000, 1, 0],
      },
    ])
  })

  it('writes a request with its status class; only 5xx and no answer are errors', () => {
    const target = dataset()
    analyticsEngineMetrics(target, 'gateway').request({
      route: '/api/v1/orders',
      method: 'POST',
      status: 503,
      durationMs: 12,
      target: 'orders',
    })
    expect(target.points[0]).toEqual({
      indexes: ['/api/v1/orders'],
      blobs: ['request', 'gateway', '/api/v1/orders', 'POST', '503', '5xx', 'orders'],
      doubles: [12, 1, 503],
    })
    expect([200, 404, 429, 499].map(isError)).toEqual([false, false, false, false])
    expect([500, 503, 'timeout', 'unavailable'].map(isError)).toEqual([true, true, true, true])
  })

  it('never throws into the request when the dataset does', () => {
    const broken = {
      writeDataPoint: () => {
        throw new Error('quota')
      },
    }
    expect(() =>
      analyticsEngineMetrics(broken, 'gateway').request({ route: '/x', method: 'GET', status: 200, durationMs: 1, target: 'gateway' }),
    ).not.toThrow()
  })

  it('is the no-op recorder when no dataset is bound', () => {
    expect(redMetrics(undefined, 'gateway')).toBe(noopMetrics)
    expect(redMetrics(dataset(), 'gateway')).not.toBe(noopMetrics)
  })
})
