import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { outboxInsertWhen } from '../../../../platform/events/outbox-insert'
import { rpcMethods } from '../../../../platform/rpc/method'
import { ordersCredential, sendingEnv, testEnv, userDeletedEvent } from '../../../../test/support/payments'
import type { Env } from '../env'

// The relay an RPC write ends with (platform/rpc/method.ts), over payments' real D1, real queues
// (sendingEnv) and its real caller check: what a call's committed batches wrote leaves at once, even when the call throws
// afterwards. Its rows are claimed by their writer, so the sweep would otherwise leave them
// alone until the claim lapses.

const rpcMethod = rpcMethods<Env, { db: D1Database }>({ service: 'payments', callers: ['orders'], services: (env) => ({ db: env.DB }) })

const sentAt = (id: string) => testEnv.DB.prepare('SELECT sent_at FROM outbox WHERE id = ?1').bind(id).first<string | null>('sent_at')

/** A write method that commits one event and then does what `after` does. */
const writesThen = (event: ReturnType<typeof userDeletedEvent>, after: () => void) => ({
  schema: z.object({}),
  writes: true,
  run: async ({ db }: { db: D1Database }) => {
    await db.batch([outboxInsertWhen(db, event, '1 = 1')])
    after()
    return { ok: true as const, value: null }
  },
})

type Method = ReturnType<typeof writesThen>

/** Calls `method` as `credential`'s holder, then waits for what the call left running (its relay). */
async function called(credential: unknown, method: Method): Promise<{ answer?: unknown; error?: unknown }> {
  const ctx = createExecutionContext()
  const settled = await rpcMethod(sendingEnv(), ctx, credential, {}, method).then(
    (answer) => ({ answer }),
    (error: unknown) => ({ error }),
  )
  await waitOnExecutionContext(ctx)
  return settled
}

describe("an RPC write's relay", () => {
  it('sends the events of a call that answered', async () => {
    const event = userDeletedEvent()
    expect(
      await called(
        await ordersCredential(),
        writesThen(event, () => undefined),
      ),
    ).toEqual({ answer: { ok: true, value: null } })
    expect(await sentAt(event.id)).toEqual(expect.any(String))
  })

  it('sends the events a committed batch wrote before the call threw', async () => {
    const event = userDeletedEvent()
    const failing = writesThen(event, () => {
      throw new Error('after the batch')
    })
    expect(await called(await ordersCredential(), failing)).toEqual({ error: new Error('after the batch') })
    expect(await sentAt(event.id)).toEqual(expect.any(String))
  })

  it('runs nothing and sends nothing for a caller it does not trust', async () => {
    const event = userDeletedEvent()
    expect(
      await called(
        'not a credential',
        writesThen(event, () => undefined),
      ),
    ).toMatchObject({ answer: { ok: false } })
    expect(await sentAt(event.id)).toBeNull()
  })
})
