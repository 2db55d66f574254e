import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test'
import { expect, it } from 'vitest'
import worker from '../index'
import { paymentsService } from '../services'
import { chargeRequest, eventsOf, testEnv } from '../test-client'

// Alone in its file: no relay after an RPC call runs beside the sweep here.
it('sends, on the cron sweep, an event that no relay sent after its write', async () => {
  const request = chargeRequest()
  // Through the service alone: the capture and its event are written, and no relay runs.
  const captured = await paymentsService(testEnv).charge(request)
  expect(captured.ok).toBe(true)
  expect((await eventsOf(request.order_id)).map((row) => row.sent_at)).toEqual([null])

  const ctx = createExecutionContext()
  worker.scheduled(createScheduledController({ cron: '* * * * *' }), testEnv, ctx)
  await waitOnExecutionContext(ctx)
  const [sent] = await eventsOf(request.order_id)
  expect(sent!.sent_at).not.toBeNull()
})
