import { describe, expect, it } from 'vitest'
import { createWebhookDelivery } from '../../../workers/notifications/src/delivery/webhook'
import { testNotification } from '../../../workers/notifications/src/delivery/test-notification'
import { bearer, call, signUp } from '../client'

// OWASP API10:2023 Unsafe Consumption of APIs. The system consumes two third-party APIs: the
// payment provider (workers/payments/src/provider/guarded.test.ts: answers bounded in time and
// validated) and the notification webhook's receiver, driven here in workerd with receivers that
// misbehave (webhook.unit.test.ts does the same against a real HTTP server). Whatever they answer
// is bounded, never followed, never parsed and never passed on.
const notification = testNotification()

const URL_ = 'https://hooks.example.com/notify'
const receiverAnswering = (
  answer: (signal: AbortSignal) => Promise<Response>,
  options: { timeoutMs?: number; maxResponseBytes?: number } = {},
) =>
  createWebhookDelivery({
    url: URL_,
    allowedHosts: ['hooks.example.com'],
    fetch: async (_input, init) => answer(init!.signal!),
    ...options,
  })

/** An endless body that counts what was pulled from it. */
function endless(counter: { bytes: number; cancelled: boolean }): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      counter.bytes += 16 * 1024
      controller.enqueue(new Uint8Array(16 * 1024).fill(0x41))
    },
    cancel() {
      counter.cancelled = true
    },
  })
}

describe('the webhook receiver’s answers', () => {
  it('a receiver that never answers is a timeout, within the bound', async () => {
    const hanging = receiverAnswering(
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
      { timeoutMs: 100 },
    )
    expect(await hanging.deliver(notification)).toEqual({ delivered: false, reason: 'timeout' })
  })

  it('an endless body is read only up to the cap, then hung up on', async () => {
    const counter = { bytes: 0, cancelled: false }
    const delivery = receiverAnswering(async () => new Response(endless(counter), { status: 200 }), { maxResponseBytes: 64 * 1024 })
    expect(await delivery.deliver(notification)).toEqual({ delivered: true })
    expect(counter.bytes).toBeLessThanOrEqual(64 * 1024 + 32 * 1024)
    expect(counter.cancelled).toBe(true)
  })

  it('an error page is a failure whose reason carries none of its text', async () => {
    const page = '<html><script>steal()</script>Internal error at db-7.internal:5432</html>'
    const delivery = receiverAnswering(async () => new Response(page, { status: 500, headers: { 'Content-Type': 'text/html' } }))
    const outcome = await delivery.deliver(notification)
    expect(outcome).toEqual({ delivered: false, reason: 'http_500' })
  })

  it('a body that is not what anyone expected is not parsed: the status alone decides', async () => {
    for (const body of ['{"delivered": false, "__proto__": {"admin": true}}', 'not json at all', '\u0000\uffff']) {
      expect(await receiverAnswering(async () => new Response(body, { status: 202 })).deliver(notification)).toEqual({ delivered: true })
      expect(({} as Record<string, unknown>).admin).toBeUndefined()
    }
  })

  it.each([301, 302, 303, 307, 308])('a %i is a failure, its Location never fetched', async (status) => {
    const fetched: string[] = []
    const delivery = createWebhookDelivery({
      url: URL_,
      allowedHosts: ['hooks.example.com'],
      fetch: async (input) => {
        fetched.push(String(input))
        return new Response(null, { status, headers: { Location: 'http://127.0.0.1:8787/api/v1/admin/faults/orders' } })
      },
    })
    expect(await delivery.deliver(notification)).toEqual({ delivered: false, reason: `redirect_${status}` })
    expect(fetched).toEqual([URL_])
  })
})

describe('internal answers passed on by the gateway', () => {
  it('carry the gateway’s own headers, not a service’s internals', async () => {
    const { token } = await signUp('Consumer')
    for (const response of [await call('/api/v1/users/me', { headers: bearer(token) }), await call('/api/v1/products')]) {
      expect(response.status).toBe(200)
      for (const name of ['Server', 'X-Powered-By', 'X-Gateway-Credential', 'Set-Cookie'])
        expect(response.headers.has(name), name).toBe(false)
    }
  })
})
