import { describe, expect, it } from 'vitest'
import { constantTimeEqual, DECOY_HASH, hashPassword, PBKDF2_ITERATIONS, verifyPassword } from './passwords'

const password = 'correct horse battery'

describe('hashPassword', () => {
  it('writes scheme, iterations, a 16-byte salt and a 32-byte hash', async () => {
    const stored = await hashPassword(password)
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/)
    expect(PBKDF2_ITERATIONS).toBe(100_000)
    expect(stored).not.toContain(password)
  })

  it('salts every hash: one password hashes differently twice', async () => {
    const [first, second] = [await hashPassword(password), await hashPassword(password)]
    expect(first).not.toBe(second)
    expect(first.split('$')[2]).not.toBe(second.split('$')[2])
  })
})

describe('verifyPassword', () => {
  it('accepts the right password', async () => {
    expect(await verifyPassword(password, await hashPassword(password))).toBe(true)
  })

  it('refuses a wrong password, a prefix, and a change of case', async () => {
    const stored = await hashPassword(password)
    for (const attempt of ['wrong password!', 'correct horse', 'Correct horse battery', `${password} `, '']) {
      expect(await verifyPassword(attempt, stored)).toBe(false)
    }
  })

  it('handles passwords beyond ASCII', async () => {
    const unicode = 'pässwörd-密码-🔑-long'
    const stored = await hashPassword(unicode)
    expect(await verifyPassword(unicode, stored)).toBe(true)
    expect(await verifyPassword(unicode.normalize('NFD'), stored)).toBe(false)
  })

  it('refuses every password against the decoy hash, which is well-formed', async () => {
    expect(DECOY_HASH).toMatch(/^pbkdf2-sha256\$100000\$[^$]+\$[^$]+$/)
    expect(await verifyPassword(password, DECOY_HASH)).toBe(false)
    expect(await verifyPassword('', DECOY_HASH)).toBe(false)
  })

  it.each([
    ['empty', ''],
    ['another scheme', 'bcrypt$10$abc$def'],
    ['missing parts', 'pbkdf2-sha256$100000$c2FsdA=='],
    ['non-numeric iterations', 'pbkdf2-sha256$many$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    [
      'more iterations than the runtime allows',
      'pbkdf2-sha256$100001$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    ],
    ['fractional iterations', 'pbkdf2-sha256$1.5$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['zero iterations', 'pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
    ['invalid base64', 'pbkdf2-sha256$100000$!!!$???'],
    ['a truncated hash', 'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAA'],
  ])('answers false, never throws, for a stored value that is %s', async (_label, stored) => {
    await expect(verifyPassword(password, stored)).resolves.toBe(false)
  })
})

describe('constantTimeEqual', () => {
  const bytes = (...values: number[]) => new Uint8Array(values)

  it('is true for equal bytes, including none', () => {
    expect(constantTimeEqual(bytes(1, 2, 3), bytes(1, 2, 3))).toBe(true)
    expect(constantTimeEqual(bytes(), bytes())).toBe(true)
  })

  it('is false when any byte differs, first or last', () => {
    expect(constantTimeEqual(bytes(0, 2, 3), bytes(1, 2, 3))).toBe(false)
    expect(constantTimeEqual(bytes(1, 2, 3), bytes(1, 2, 4))).toBe(false)
    expect(constantTimeEqual(bytes(255), bytes(127))).toBe(false)
  })

  it('is false when the lengths differ, even if one is a prefix of the other', () => {
    expect(constantTimeEqual(bytes(1, 2), bytes(1, 2, 3))).toBe(false)
    expect(constantTimeEqual(bytes(1, 2, 3), bytes(1, 2))).toBe(false)
  })
})
