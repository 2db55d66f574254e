import { describe, expect, it } from 'vitest'
import { ConfigError, defineConfig, MAX_CONFIGS } from './config'
import { intVar, oneOfVar, requiredTextVar } from './vars'

function counted() {
  let builds = 0
  const configOf = defineConfig(
    { TIMEOUT_MS: intVar(5_000), MODE: oneOfVar(['fast', 'safe'], 'safe'), ISSUER: requiredTextVar() },
    (vars) => {
      builds += 1
      return { timeoutMs: vars.TIMEOUT_MS, mode: vars.MODE, issuer: vars.ISSUER }
    },
  )
  return { configOf, builds: () => builds }
}

describe('defineConfig', () => {
  it('parses the vars it names into the shape the Worker uses, defaults filled in', () => {
    const { configOf } = counted()
    expect(configOf({ ISSUER: 'https://auth.example', TIMEOUT_MS: '250' })).toEqual({
      timeoutMs: 250,
      mode: 'safe',
      issuer: 'https://auth.example',
    })
  })

  it('parses one env object once', () => {
    const { configOf, builds } = counted()
    const env = { ISSUER: 'i' }
    const first = configOf(env)
    expect(configOf(env)).toBe(first)
    expect(builds()).toBe(1)
  })

  it('parses a new env object with the same vars no more (the tracing wrapper hands out copies)', () => {
    const { configOf, builds } = counted()
    const first = configOf({ ISSUER: 'i', DB: {} })
    expect(configOf({ ISSUER: 'i', DB: {}, OTHER: 'ignored' })).toBe(first)
    expect(builds()).toBe(1)
  })

  it('parses again when a var it reads changes, and keeps both configurations', () => {
    const { configOf, builds } = counted()
    const a = configOf({ ISSUER: 'a' })
    const b = configOf({ ISSUER: 'b' })
    expect(b.issuer).toBe('b')
    expect(configOf({ ISSUER: 'a' })).toBe(a)
    expect(builds()).toBe(2)
  })

  it(`keeps at most ${MAX_CONFIGS} configurations by fingerprint, dropping the oldest`, () => {
    const { configOf, builds } = counted()
    for (let i = 0; i <= MAX_CONFIGS; i++) configOf({ ISSUER: `issuer-${i}` })
    expect(builds()).toBe(MAX_CONFIGS + 1)
    configOf({ ISSUER: `issuer-${MAX_CONFIGS}` })
    expect(builds()).toBe(MAX_CONFIGS + 1)
    configOf({ ISSUER: 'issuer-0' })
    expect(builds()).toBe(MAX_CONFIGS + 2)
  })

  it('throws a ConfigError naming every bad var and why', () => {
    const { configOf } = counted()
    let thrown: unknown
    try {
      configOf({ TIMEOUT_MS: 'soon', MODE: 'turbo' })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ConfigError)
    expect((thrown as ConfigError).problems).toEqual([
      'TIMEOUT_MS must be a whole number of at least 1',
      'MODE must be one of fast, safe',
      'ISSUER is required',
    ])
  })

  it('throws again on every call while the vars stay bad (nothing bad is cached)', () => {
    const { configOf } = counted()
    const env = { ISSUER: '' }
    expect(() => configOf(env)).toThrow(ConfigError)
    expect(() => configOf(env)).toThrow('ISSUER is required')
  })
})
