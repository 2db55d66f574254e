import { expect, it } from 'vitest'
import { paymentsService } from '../services'
import { callPayments, chargeRequest, eventsOf, testEnv } from '../../../../test/support/payments'

// Alone in its file: no relay after an RPC call runs beside the sweep here.
it('sends, on the sweep the gateway asks for, an event that no relay sent after its write', async () => {
  const request = chargeRequest()
  // Through the service alone: the capture and its event are written, and no relay runs.
  const captured = await paymentsService(testEnv).charge(request)
  expect(captured.ok).toBe(true)
  expect((await eventsOf(request.order_id)).map((row) => row.sent_at)).toEqual([null])

  const swept = await callPayments('/internal/sweep', { method: 'POST' })
  expect(swept.status).toBe(200)
  // The project's files share one database: the sweep also sends what earlier files left unsent.
  const report = (await swept.json()) as { outbox_sent: number; outbox_failed: number }
  expect(report.outbox_failed).toBe(0)
  expect(report.outbox_sent).toBeGreaterThanOrEqual(1)
  const [sent] = await eventsOf(request.order_id)
  expect(sent!.sent_at).not.toBeNull()
})

it('answers the sweep only to the gateway: without its credential a 401', async () => {
  const refused = await callPayments('/internal/sweep', { method: 'POST', credential: null })
  expect(refused.status).toBe(401)
  expect(refused.headers.get('content-type')).toContain('application/problem+json')
})
