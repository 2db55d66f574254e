import { fail, type Result } from '../../../../shared-contracts/errors'

/** SHA-256 (hex) of an operation and its canonical request: what a key is bound to. */
export async function fingerprint(operation: string, request: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify([operation, request]))
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

export interface Remembered {
  operation: string
  fingerprint: string
  result: Result<unknown>
}

/**
 * The answer to a key seen before: the same result for the same request; a refusal for
 * another request under the same key (it acted once already, and not as asked now).
 */
export function replay<T>(stored: Remembered, operation: string, expected: string): Result<T> {
  if (stored.operation !== operation || stored.fingerprint !== expected) {
    return fail({ code: 'idempotency_key_reused', detail: 'This key was used with a different request.' })
  }
  return stored.result as Result<T>
}
