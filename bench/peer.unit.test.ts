import { describe, expect, it } from 'vitest'
import { peerFigures } from './peer.mjs'

const rows = (...rps: number[]) => rps.map((value) => ({ rps: value }))

describe('peerFigures', () => {
  it('takes each ratio round by round and says which target is met', () => {
    const figures = peerFigures({
      'me-gateway': rows(90, 120, 100),
      'me-peer': rows(100, 100, 100),
      'product-gateway': rows(400, 500, 450),
      'product-peer': rows(100, 300, 150),
      floor: rows(1000, 1000, 1000),
    })
    expect(figures.me).toMatchObject({ median: 1, min: 0.9, max: 1.2 })
    expect(figures.hit.median).toBe(3)
    expect(figures.floor.median).toBe(0.45)
    expect(figures.met).toEqual({ me: true, hit: true, floor: true })
  })

  it('says a target is not met below it', () => {
    const figures = peerFigures({
      'me-gateway': rows(90),
      'me-peer': rows(100),
      'product-gateway': rows(300),
      'product-peer': rows(200),
      floor: rows(1000),
    })
    expect(figures.met).toEqual({ me: false, hit: false, floor: false })
  })

  it('is null for a run without the peer', () => {
    expect(peerFigures({ 'me-gateway': rows(1), floor: rows(1) })).toBeNull()
  })
})
