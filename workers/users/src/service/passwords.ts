/**
 * Password hashing: PBKDF2-SHA-256 through WebCrypto. 100,000 iterations is the most the
 * Workers runtime allows; the salt is per user; the comparison is constant-time.
 */
export const PBKDF2_ITERATIONS = 100_000
const SALT_BYTES = 16
const HASH_BITS = 256
const SCHEME = 'pbkdf2-sha256'

const encoder = new TextEncoder()

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0))
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, HASH_BITS)
  return new Uint8Array(bits)
}

/** Compares in time that depends only on the length, never on where bytes differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let index = 0; index < a.length; index++) difference |= (a[index] as number) ^ (b[index] as number)
  return difference === 0
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
  const hash = await derive(password, salt, PBKDF2_ITERATIONS)
  return `${SCHEME}$${PBKDF2_ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`
}

/** A malformed stored value verifies nothing: it answers false rather than throwing (a login 500). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterationsText, saltText, hashText] = stored.split('$')
  if (scheme !== SCHEME || !iterationsText || !saltText || !hashText) return false
  // WebCrypto refuses 0 and NaN, and the Workers runtime anything above PBKDF2_ITERATIONS.
  const iterations = Number(iterationsText)
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS) return false
  let salt: Uint8Array
  let expected: Uint8Array
  try {
    salt = fromBase64(saltText)
    expected = fromBase64(hashText)
  } catch {
    return false
  }
  const actual = await derive(password, salt, iterations)
  return constantTimeEqual(actual, expected)
}

/**
 * A hash of nothing anyone knows. Login checks an unknown email against it, so that an
 * unknown email and a wrong password cost the same time and answer the same way.
 */
export const DECOY_HASH = `${SCHEME}$${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`
