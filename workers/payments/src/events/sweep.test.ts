import { expect, it } from 'vitest'
import { outboxInsertWhen } from '../../../../platform/events/outbox-insert'
import { paymentsService } from '../services'
import { sweep } from './sweep'
import { callPayments, chargeRequest, eventsOf, sendingEnv, testEnv, userDeletedEvent } from '../../../../test/support/payments'

// Alone in its file: no relay after an RPC call runs beside the sweep here.
it('sends, on the sweep the gateway asks for, an event that no relay sent after its write', async () => {
  // A write outside any relay, of an event with subscribers (payments' own queue is a real one).
  const event = userDeletedEvent()
  await testEnv.DB.batch([outboxInsertWhen(testEnv.DB, event, '1 = 1')])
  const sentAt = () => testEnv.DB.prepare('SELECT sent_at FROM outbox WHERE id = ?1').bind(event.id).first<string | null>('sent_at')
  expect(await sentAt()).toBeNull()

  // The Worker's own env has only payments' producer binding: the sweep sends through one that has them all.
  const report = await sweep(sendingEnv())
  expect(report).toMatchObject({ outbox_failed: 0 })
  expect(report.outbox_sent).toBeGreaterThanOrEqual(1)
  expect(await sentAt()).not.toBeNull()
})

it("leaves the sweep nothing of a payment's own events: no service subscribes to them, so they are stored as sent", async () => {
  const request = chargeRequest()
  // Through the service alone: the capture and its event are written, and no relay runs.
  const captured = await paymentsService(testEnv).charge(request)
  expect(captured.ok).toBe(true)
  const [event] = await eventsOf(request.order_id)
  expect(event!.sent_at).toEqual(expect.any(String))

  const swept = await callPayments('/internal/sweep', { method: 'POST' })
  expect(swept.status).toBe(200)
  expect(await swept.json()).toMatchObject({ outbox_failed: 0 })
  expect(await eventsOf(request.order_id)).toEqual([event])
})

it('answers the sweep only to the gateway: without its credential a 401', async () => {
  const refused = await callPayments('/internal/sweep', { method: 'POST', credential: null })
  expect(refused.status).toBe(401)
  expect(refused.headers.get('content-type')).toContain('application/problem+json')
})
