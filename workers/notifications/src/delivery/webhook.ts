import type { NotificationRecord } from '../service/notification'
import type { DeliveryOutcome, NotificationDelivery } from './delivery'
import { parseWebhookUrl, type WebhookUrlPolicy } from './webhook-url'

export const WEBHOOK_TIMEOUT_MS = 5_000
export const WEBHOOK_MAX_RESPONSE_BYTES = 64 * 1024

export interface WebhookOptions extends WebhookUrlPolicy {
  url: string
  /** The whole attempt — connect, answer and the body read — must fit in this. */
  timeoutMs?: number
  /** At most this much of the answer is read; the rest is cancelled. */
  maxResponseBytes?: number
  fetch?: typeof fetch
}

/** Reads at most `maxBytes` of a body (so the connection is released), then cancels the rest. */
async function drain(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<void> {
  if (!body) return
  const reader = body.getReader()
  let read = 0
  try {
    while (read <= maxBytes) {
      const chunk = await reader.read()
      if (chunk.done) return
      read += chunk.value.byteLength
    }
  } catch {
    // The answer's status already decided the outcome; a body that breaks off changes nothing.
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}

const isTimeout = (error: unknown) => error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')

/** What the receiver gets: everything it needs to send the message, nothing internal. */
export function webhookPayload(notification: NotificationRecord) {
  const { id, user_id, type, channel, recipient, subject, body, order_id, created_at } = notification
  return { id, user_id, type, channel, recipient, subject, body, order_id, created_at }
}

/**
 * POSTs each notification as JSON to a webhook whose URL passed the SSRF policy (webhook-url.ts). A 2xx is delivered; anything else is a failure
 * to retry later: a 3xx (never followed), a 4xx/5xx, a timeout, a network error. Plain fetch
 * code: the same module runs in workerd and in Node.
 */
export function createWebhookDelivery(options: WebhookOptions): NotificationDelivery {
  const url = parseWebhookUrl(options.url, options)
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS
  const maxBytes = options.maxResponseBytes ?? WEBHOOK_MAX_RESPONSE_BYTES
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init))
  return {
    name: 'webhook',
    async deliver(notification: NotificationRecord): Promise<DeliveryOutcome> {
      let response: Response
      try {
        response = await send(url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            // Retries send the same key: the receiver can drop what it already has.
            'Idempotency-Key': notification.id,
          },
          body: JSON.stringify(webhookPayload(notification)),
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        })
      } catch (error) {
        return { delivered: false, reason: isTimeout(error) ? 'timeout' : 'network_error' }
      }
      await drain(response.body, maxBytes)
      if (response.status >= 200 && response.status < 300) return { delivered: true }
      return {
        delivered: false,
        reason: response.status >= 300 && response.status < 400 ? `redirect_${response.status}` : `http_${response.status}`,
      }
    },
  }
}
