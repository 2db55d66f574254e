import { describe, expect, it } from 'vitest'
import { fail, ok, type Result } from '../../shared-contracts/errors'
import { ERROR_CODES } from '../../shared-contracts/errors'
import { isTransient, retryTransient } from './retry-transient'

const options = { attempts: 3, baseMs: 10, capMs: 100, sleep: async () => undefined, random: () => 0.5 }

function sequence(...answers: Array<Result<string> | Error>) {
  let calls = 0
  const call = async () => {
    const answer = answers[Math.min(calls++, answers.length - 1)]!
    if (answer instanceof Error) throw answer
    return answer
  }
  return { call, calls: () => calls }
}

describe('retryTransient', () => {
  it('retries transient failures and throws until it gets an answer', async () => {
    const { call, calls } = sequence(fail({ code: 'service_unavailable' }), new Error('network'), ok('priced'))
    expect(await retryTransient(call, options)).toEqual(ok('priced'))
    expect(calls()).toBe(3)
  })

  it('never retries a business failure', async () => {
    const { call, calls } = sequence(fail({ code: 'not_found' }), ok('never'))
    expect(await retryTransient(call, options)).toEqual(fail({ code: 'not_found' }))
    expect(calls()).toBe(1)
  })

  it('gives up after the attempts with the last outcome', async () => {
    const { call, calls } = sequence(fail({ code: 'service_unavailable' }))
    expect(await retryTransient(call, options)).toEqual(fail({ code: 'service_unavailable' }))
    expect(calls()).toBe(3)
    await expect(retryTransient(sequence(new Error('down')).call, options)).rejects.toThrow('down')
  })
})

/** The transient codes: the callee unreachable, slow or failing, or its own dependency unavailable. */
const TRANSIENT = ['service_unavailable', 'gateway_timeout', 'provider_error', 'internal_error', 'dependency_unavailable'] as const

describe('isTransient: one definition for pricing and the saga', () => {
  it('says an unreachable, slow or failing callee, or one whose own dependency is, is transient', () => {
    for (const code of TRANSIENT) expect(isTransient({ code })).toBe(true)
  })

  it('says every other code is an answer, never retried: inventory refusing a reservation among them', () => {
    const answers = ERROR_CODES.filter((code) => !(TRANSIENT as readonly string[]).includes(code))
    expect(answers).toContain('out_of_stock')
    expect(answers).toContain('not_found')
    expect(answers).toContain('payment_declined')
    for (const code of answers) expect(isTransient({ code })).toBe(false)
  })

  it('retries an inventory internal_error as the saga does', async () => {
    const { call, calls } = sequence(fail({ code: 'internal_error' }), ok('priced'))
    expect(await retryTransient(call, options)).toEqual(ok('priced'))
    expect(calls()).toBe(2)
  })
})
