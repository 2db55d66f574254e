import { errors, exportJWK, generateKeyPair, type FlattenedJWSInput, type JSONWebKeySet, type JWK } from 'jose'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createJwksCache, KeysUnavailableError } from './jwks-cache'

const MAX_AGE_MS = 10 * 60_000
const COOLDOWN_MS = 30_000
const TOKEN = { payload: '', signature: '' } as FlattenedJWSInput

async function publicJwk(kid: string): Promise<JWK> {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true })
  return { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }
}

let keyA: JWK
let keyB: JWK
beforeAll(async () => {
  keyA = await publicJwk('key-a')
  keyB = await publicJwk('key-b')
})

/** A users service stand-in: counts loads and publishes whatever key set the test sets. */
function setup() {
  const state = { clock: 0, loads: 0, published: { keys: [keyA] } as JSONWebKeySet }
  const resolve = createJwksCache({
    maxAgeMs: MAX_AGE_MS,
    cooldownMs: COOLDOWN_MS,
    now: () => state.clock,
    async load() {
      state.loads += 1
      return structuredClone(state.published)
    },
  })
  const key = (kid: string) => resolve({ alg: 'ES256', kid }, TOKEN)
  return { state, key }
}

describe('createJwksCache', () => {
  let cache: ReturnType<typeof setup>
  beforeEach(() => {
    cache = setup()
  })

  it('loads the key set on the first call', async () => {
    const key = await cache.key('key-a')
    expect(key.type).toBe('public')
    expect(cache.state.loads).toBe(1)
  })

  it('serves later calls from the cache', async () => {
    await cache.key('key-a')
    cache.state.clock += MAX_AGE_MS
    await cache.key('key-a')
    await cache.key('key-a')
    expect(cache.state.loads).toBe(1)
  })

  it('refreshes the key set once it is older than maxAge', async () => {
    await cache.key('key-a')
    cache.state.clock += MAX_AGE_MS + 1
    await cache.key('key-a')
    expect(cache.state.loads).toBe(2)
  })

  it('does not refetch for an unknown kid right after a fetch', async () => {
    await cache.key('key-a')
    cache.state.published = { keys: [keyB, keyA] }
    await expect(cache.key('key-b')).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey)
    expect(cache.state.loads).toBe(1)
  })

  it('refetches once for an unknown kid after the cooldown, picking up a rotated key', async () => {
    await cache.key('key-a')
    cache.state.published = { keys: [keyB, keyA] }
    cache.state.clock += COOLDOWN_MS + 1
    const key = await cache.key('key-b')
    expect(key.type).toBe('public')
    expect(cache.state.loads).toBe(2)
    await cache.key('key-b')
    await cache.key('key-a')
    expect(cache.state.loads).toBe(2)
  })

  it('lets a flood of unknown kids cause one refetch per cooldown at most', async () => {
    await cache.key('key-a')
    cache.state.clock += COOLDOWN_MS + 1
    for (let index = 0; index < 50; index += 1) {
      await expect(cache.key(`garbage-${index}`)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey)
      cache.state.clock += 100
    }
    expect(cache.state.loads).toBe(2)
    cache.state.clock += COOLDOWN_MS
    await expect(cache.key('garbage-again')).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey)
    expect(cache.state.loads).toBe(3)
  })

  it('makes concurrent first calls share one load', async () => {
    const keys = await Promise.all([cache.key('key-a'), cache.key('key-a'), cache.key('key-a')])
    expect(keys.every((key) => key.type === 'public')).toBe(true)
    expect(cache.state.loads).toBe(1)
  })

  it('makes concurrent unknown-kid refetches share one load', async () => {
    await cache.key('key-a')
    cache.state.published = { keys: [keyB] }
    cache.state.clock += COOLDOWN_MS + 1
    await Promise.all([cache.key('key-b'), cache.key('key-b'), cache.key('key-b')])
    expect(cache.state.loads).toBe(2)
  })

  it('does not keep a failed load: the next call tries again', async () => {
    let fail = true
    const resolve = createJwksCache({
      maxAgeMs: MAX_AGE_MS,
      cooldownMs: COOLDOWN_MS,
      now: () => 0,
      async load() {
        if (fail) throw new Error('users is down')
        return { keys: [keyA] }
      },
    })
    await expect(resolve({ alg: 'ES256', kid: 'key-a' }, TOKEN)).rejects.toThrow('users is down')
    fail = false
    await expect(resolve({ alg: 'ES256', kid: 'key-a' }, TOKEN)).resolves.toMatchObject({ type: 'public' })
  })
})

describe('createJwksCache when the users service fails', () => {
  it('keeps using the last key set when a refresh fails, and waits a cooldown before trying again', async () => {
    let clock = 0
    let loads = 0
    let fail = false
    const resolve = createJwksCache({
      maxAgeMs: MAX_AGE_MS,
      cooldownMs: COOLDOWN_MS,
      now: () => clock,
      async load() {
        loads++
        if (fail) throw new Error('users is down')
        return { keys: [keyA] }
      },
    })
    await resolve({ alg: 'ES256', kid: 'key-a' }, TOKEN)
    fail = true
    clock += MAX_AGE_MS + 1
    await expect(resolve({ alg: 'ES256', kid: 'key-a' }, TOKEN)).resolves.toMatchObject({ type: 'public' })
    await resolve({ alg: 'ES256', kid: 'key-a' }, TOKEN)
    expect(loads).toBe(2)
    clock += COOLDOWN_MS + 1
    await resolve({ alg: 'ES256', kid: 'key-a' }, TOKEN)
    expect(loads).toBe(3)
  })

  it('reports KeysUnavailableError when no key set was ever loaded', async () => {
    const resolve = createJwksCache({
      maxAgeMs: MAX_AGE_MS,
      cooldownMs: COOLDOWN_MS,
      async load() {
        throw new Error('users is down')
      },
    })
    await expect(resolve({ alg: 'ES256', kid: 'key-a' }, TOKEN)).rejects.toBeInstanceOf(KeysUnavailableError)
  })
})
