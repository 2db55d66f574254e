import { describe, expect, it } from 'vitest'
import { failedInObject } from './object-errors'

const thrown = (flags: Record<string, boolean>) => Object.assign(new Error('call failed'), flags)

describe('failedInObject', () => {
  it("is a failure of the object's own code only when the runtime says nothing more of it", () => {
    expect(failedInObject(thrown({ remote: true }))).toBe(true)
    expect(failedInObject(thrown({ remote: true, retryable: false, overloaded: false }))).toBe(true)
  })

  it('is not when the failure happened on the way, or may pass', () => {
    expect(failedInObject(thrown({}))).toBe(false)
    expect(failedInObject(thrown({ retryable: true }))).toBe(false)
    expect(failedInObject(thrown({ overloaded: true }))).toBe(false)
    expect(failedInObject(thrown({ remote: true, retryable: true }))).toBe(false)
    expect(failedInObject(thrown({ remote: true, overloaded: true }))).toBe(false)
    expect(failedInObject(null)).toBe(false)
    expect(failedInObject('a string')).toBe(false)
  })
})
