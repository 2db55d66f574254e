import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createEvent } from '../../../../platform/events/envelope'
import { outboxInsertWhen } from '../../../../platform/events/outbox'
import { rpcMethods } from '../../../../platform/rpc/method'
import { EVENT_TYPES } from '../../../../shared-contracts/events'
import { ordersCredential, testEnv } from '../../../../test/support/payments'
import type { Env } from '../env'

// The relay an RPC write ends with (platform/rpc/method.ts), over payments' real D1 and its real
// caller check: what a call's committed batches wrote leaves at once, even when the call throws
// afterwards. Its rows are claimed by their writer, so the sweep would otherwise leave them
// alone until the claim lapses.

const rpcMethod = rpcMethods<Env, { db: D1Database }>({ service: 'payments', callers: ['orders'], services: (env) => ({ db: env.DB }) })

const captured = () =>
  createEvent({
    service: 'payments',
    type: EVENT_TYPES.paymentCaptured,
    subject: crypto.randomUUID(),
    data: { payment_id: crypto.randomUUID(), order_id: crypto.randomUUID(), amount_cents: 100, currency: 'EUR' },
  })

const sentAt = (id: string) => testEnv.DB.prepare('SELECT sent_at FROM outbox WHERE id = ?1').bind(id).first<string | null>('sent_at')

/** A write method that commits one event and then does what `after` does. */
const writesThen = (event: ReturnType<typeof captured>, after: () => void) => ({
  schema: z.object({}),
  writes: true,
  run: async ({ db }: { db: D1Database }) => {
    await db.batch([outboxInsertWhen(db, event, '1 = 1')])
    after()
    return { ok: true as const, value: null }
  },
})

describe("an RPC write's relay", () => {
  it('sends the events of a call that answered', async () => {
    const event = captured()
    const ctx = createExecutionContext()
    const answer = await rpcMethod(
      testEnv,
      ctx,
      await ordersCredential(),
      {},
      writesThen(event, () => undefined),
    )
    expect(answer).toEqual({ ok: true, value: null })
    await waitOnExecutionContext(ctx)
    expect(await sentAt(event.id)).toEqual(expect.any(String))
  })

  it('sends the events a committed batch wrote before the call threw', async () => {
    const event = captured()
    const ctx = createExecutionContext()
    const failing = writesThen(event, () => {
      throw new Error('after the batch')
    })
    await expect(rpcMethod(testEnv, ctx, await ordersCredential(), {}, failing)).rejects.toThrow('after the batch')
    await waitOnExecutionContext(ctx)
    expect(await sentAt(event.id)).toEqual(expect.any(String))
  })

  it('runs nothing and sends nothing for a caller it does not trust', async () => {
    const event = captured()
    const ctx = createExecutionContext()
    const answer = await rpcMethod(
      testEnv,
      ctx,
      'not a credential',
      {},
      writesThen(event, () => undefined),
    )
    expect(answer).toMatchObject({ ok: false })
    await waitOnExecutionContext(ctx)
    expect(await sentAt(event.id)).toBeNull()
  })
})
