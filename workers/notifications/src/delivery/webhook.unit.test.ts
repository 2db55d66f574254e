import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createDelivery } from './select'
import { createLogger } from '../../../../platform/telemetry/log'
import { createSandboxDelivery, maskEmail } from './sandbox'
import { closedPort, startReceiver, type Receiver } from '../../../../test/support/webhook-receiver.mjs'
import { testNotification } from './test-notification'
import { createWebhookDelivery } from './webhook'

const notification = testNotification({ id: 'ntf_webhook_test', subject: 'Welcome to Edge Commerce, Ada', body: 'Hi Ada,\n\nwelcome.' })

let receiver: Receiver
beforeAll(async () => {
  receiver = await startReceiver()
})
afterAll(async () => {
  await receiver.close()
})

/** The receiver listens on loopback over http: allowed only as local development allows it. */
const LOCAL = { allowedHosts: ['127.0.0.1'], allowPrivateNetwork: true }

// Small enough that a test waiting on it is quick; large enough for a local answer to beat it.
const webhook = (path: Parameters<Receiver['url']>[0], timeoutMs = 2_000) =>
  createWebhookDelivery({ url: receiver.url(path), timeoutMs, ...LOCAL })

describe('webhook delivery', () => {
  it('POSTs the notification as JSON with its id as the idempotency key, and a 200 is delivered', async () => {
    expect(await webhook('/ok').deliver(notification)).toEqual({ delivered: true })
    const received = receiver.requests.filter((request) => request.path === '/ok').at(-1)!
    expect(received.method).toBe('POST')
    expect(received.headers['content-type']).toBe('application/json')
    expect(received.headers['idempotency-key']).toBe(notification.id)
    expect(JSON.parse(received.body)).toEqual({
      id: notification.id,
      user_id: 'usr_1',
      type: 'welcome',
      channel: 'email',
      recipient: 'ada@example.com',
      subject: notification.subject,
      body: notification.body,
      order_id: null,
      created_at: notification.created_at,
    })
    expect(JSON.parse(received.body)).not.toHaveProperty('delivery_status')
  })

  it('fails on a 500, with a reason that carries no body text', async () => {
    const outcome = await webhook('/fail').deliver(notification)
    expect(outcome).toEqual({ delivered: false, reason: 'http_500' })
  })

  it('fails on a 302 and never follows it', async () => {
    expect(await webhook('/redirect').deliver(notification)).toEqual({ delivered: false, reason: 'redirect_302' })
    expect(receiver.hits('/redirect')).toBeGreaterThan(0)
    expect(receiver.hits('/landing')).toBe(0)
  })

  it('reads a 2xx body only up to the cap, then hangs up: an endless body does not hold it', async () => {
    let bytesRead = 0
    // The real fetch, with the body passed through a counter of what the adapter pulled.
    const countingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      const counter = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          bytesRead += chunk.byteLength
          controller.enqueue(chunk)
        },
      })
      return new Response(response.body!.pipeThrough(counter), { status: response.status, headers: response.headers })
    }
    const delivery = createWebhookDelivery({
      url: receiver.url('/huge'),
      timeoutMs: 3_000,
      maxResponseBytes: 64 * 1024,
      fetch: countingFetch,
      ...LOCAL,
    })
    expect(await delivery.deliver(notification)).toEqual({ delivered: true })
    expect(bytesRead).toBeGreaterThan(64 * 1024)
    expect(bytesRead).toBeLessThan(1024 * 1024) // the cap plus what was in flight, not the endless rest
    await vi.waitFor(() => expect(receiver.hugeBodyAborted()).toBe(true))
  })

  it('gives up on a receiver that never answers: a timeout failure', async () => {
    expect(await webhook('/hang', 200).deliver(notification)).toEqual({ delivered: false, reason: 'timeout' })
  })

  it('fails on a refused connection', async () => {
    const delivery = createWebhookDelivery({ url: `http://127.0.0.1:${await closedPort()}/hook`, timeoutMs: 2_000, ...LOCAL })
    expect(await delivery.deliver(notification)).toEqual({ delivered: false, reason: 'network_error' })
  })

  it.each([
    ['not a URL', 'not a url'],
    ['not http(s)', 'ftp://hooks.example.com/notify'],
    ['with credentials', 'https://user:secret@hooks.example.com/notify'],
  ])('refuses a webhook URL that is %s at creation, without repeating it', (_label, url) => {
    expect(() => createWebhookDelivery({ url, allowedHosts: ['hooks.example.com'] })).toThrow(/NOTIFICATION_WEBHOOK_URL/)
    try {
      createWebhookDelivery({ url, allowedHosts: ['hooks.example.com'] })
    } catch (error) {
      expect(String(error)).not.toContain('secret')
    }
  })
})

describe('choosing the adapter', () => {
  it('uses the sandbox when no webhook URL is set, the webhook otherwise', () => {
    const production = { environment: 'production', allowedHosts: ['hooks.example.com'] }
    expect(createDelivery({ ...production }).name).toBe('sandbox')
    expect(createDelivery({ ...production, url: 'https://hooks.example.com/notify' }).name).toBe('webhook')
  })
})

describe('sandbox delivery', () => {
  it('succeeds and logs one JSON line without the body or the full address', async () => {
    const lines: string[] = []
    const log = createLogger('notifications', { sink: (_level, line) => lines.push(line) })
    const outcome = await createSandboxDelivery({ log }).deliver(notification)
    expect(outcome).toEqual({ delivered: true })
    expect(lines).toHaveLength(1)
    const logged = JSON.parse(lines[0]!) as Record<string, unknown>
    expect(logged).toMatchObject({
      level: 'info',
      notification_id: notification.id,
      type: 'welcome',
      channel: 'email',
      recipient: 'a***@example.com',
    })
    expect(lines[0]).not.toContain('ada@example.com')
    expect(lines[0]).not.toContain('welcome.')
  })

  it.each([
    ['ada@example.com', 'a***@example.com'],
    ['x@y.z', 'x***@y.z'],
    ['no-at-sign', '***'],
    ['@example.com', '***'],
  ])('masks %s as %s', (address, masked) => {
    expect(maskEmail(address)).toBe(masked)
  })
})
