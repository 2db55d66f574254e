import { describe, expect, it } from 'vitest'
import { callUsers } from '../../../../test/support/users'

// Every internal Worker reads a body within the same deadline as the gateway
// (platform/http/internal-app): a slow caller inside the system cannot hold a handler either.
// The users project sets CLIENT_BODY_TIMEOUT_MS to 1 s.
function stalled(): ReadableStream<Uint8Array> {
  let sent = false
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return new Promise<void>(() => undefined)
      sent = true
      controller.enqueue(new TextEncoder().encode('{"email":'))
    },
  })
}

describe('request bodies inside the system', () => {
  it('answers a body that stalls with 408 request_timeout', async () => {
    const response = await callUsers('/api/v1/auth/register', { method: 'POST', body: stalled() })
    expect(response.status).toBe(408)
    expect(response.headers.get('Content-Type')).toBe('application/problem+json')
    expect(await response.json()).toMatchObject({ status: 408, code: 'request_timeout' })
  })

  it('refuses a body over MAX_BODY_BYTES with 413 before reading it', async () => {
    const response = await callUsers('/api/v1/auth/register', { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) })
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ code: 'payload_too_large' })
  })

  it('refuses a stalled body from a caller without a credential with 401, without waiting for it', async () => {
    const response = await callUsers('/api/v1/auth/register', { method: 'POST', body: stalled(), credential: null })
    expect(response.status).toBe(401)
  })
})
