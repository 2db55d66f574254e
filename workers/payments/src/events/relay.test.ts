import { describe, expect, it } from 'vitest'
import { drainOutbox, relayOutbox } from '../../../../platform/events/outbox'
import { outboxInsertWhen } from '../../../../platform/events/outbox-insert'
import { recordWrites, WRITER_LEASE_MS } from '../../../../platform/events/written-events'
import { paymentCapturedEvent, sendingEnv, testEnv, userDeletedEvent } from '../../../../test/support/payments'

// The relay after a write, over payments' real D1 and real queues. user.deleted has subscribers:
// through sendingEnv its sends are delivered, and an env without producer bindings fails them.
// payment.captured has none: it is stored as sent.

interface Row {
  id: string
  sent_at: string | null
  claimed_until: number | null
  attempts: number
  last_error: string | null
}

const env = sendingEnv()
const rowOf = (id: string) => testEnv.DB.prepare('SELECT * FROM outbox WHERE id = ?1').bind(id).first<Row>()

/** A write of one event through a database that records its writes, as an RPC call's or an HTTP write's. */
async function writeRecorded(condition = '1 = 1', event: { id: string } & Parameters<typeof outboxInsertWhen>[1] = userDeletedEvent()) {
  const recorder = recordWrites(testEnv.DB)
  await recorder.batch([outboxInsertWhen(recorder, event, condition)])
  return { recorder, event }
}

describe('the relay after a write', () => {
  it('gets the rows the write made claimed by their writer, sends them and marks them sent', async () => {
    const { recorder, event } = await writeRecorded()
    const claimed = await rowOf(event.id)
    expect(claimed).toMatchObject({ sent_at: null, attempts: 1 })
    expect(claimed!.claimed_until).toBeGreaterThan(Date.now())
    // Claimed: the sweep leaves it to its writer.
    await drainOutbox(testEnv.DB, env)
    expect((await rowOf(event.id))!.sent_at).toBeNull()

    expect(await relayOutbox(recorder, env)).toEqual({ sent: 1, failed: 0 })
    expect(await rowOf(event.id)).toMatchObject({ sent_at: expect.any(String), claimed_until: null, attempts: 1 })
    // Its rows are taken: a second relay has nothing to send.
    expect(await relayOutbox(recorder, env)).toEqual({ sent: 0, failed: 0 })
  })

  it('sends nothing for a conditional insert that did not insert', async () => {
    const { recorder, event } = await writeRecorded('1 = 0')
    expect(await rowOf(event.id)).toBeNull()
    expect(await relayOutbox(recorder, env)).toEqual({ sent: 0, failed: 0 })
  })

  it('leaves a row whose writer never sent it to the sweep, once its claim has lapsed', async () => {
    // The writer's isolate went away between the batch and the send: no relay runs.
    const { event } = await writeRecorded()
    const later = Date.now() + WRITER_LEASE_MS + 1_000
    await drainOutbox(testEnv.DB, env, { now: () => later })
    expect(await rowOf(event.id)).toMatchObject({ sent_at: expect.any(String), claimed_until: null, attempts: 2 })
  })

  it('frees the claim of a row whose send failed, and the next sweep sends it', async () => {
    const { recorder, event } = await writeRecorded()
    // No producer binding: the send fails.
    expect(await relayOutbox(recorder, {})).toEqual({ sent: 0, failed: 1 })
    const failed = await rowOf(event.id)
    expect(failed).toMatchObject({ sent_at: null, claimed_until: null })
    expect(failed!.last_error).toContain('EVENTS_')
    // Claimed by no one now: the next relay that claims takes it (here, again without the bindings).
    expect((await relayOutbox(testEnv.DB, {})).failed).toBeGreaterThanOrEqual(1)
    expect((await rowOf(event.id))!.attempts).toBe(2)
    // The project's files share one database: a row no env here can send must not fail their sweeps.
    await testEnv.DB.prepare('DELETE FROM outbox WHERE id = ?1').bind(event.id).run()
  })

  it('writes an unclaimed row through a database that does not record, for the relay that claims', async () => {
    const event = userDeletedEvent()
    await testEnv.DB.batch([outboxInsertWhen(testEnv.DB, event, '1 = 1')])
    expect(await rowOf(event.id)).toMatchObject({ claimed_until: null, attempts: 0 })
    await drainOutbox(testEnv.DB, env)
    expect((await rowOf(event.id))!.sent_at).not.toBeNull()
  })

  it('drains pending rows through a database that records writes too (a replay running inside a write)', async () => {
    const event = userDeletedEvent()
    await testEnv.DB.batch([outboxInsertWhen(testEnv.DB, event, '1 = 1')])
    expect((await rowOf(event.id))!.claimed_until).toBeNull()
    const recorder = recordWrites(testEnv.DB)
    const report = await drainOutbox(recorder, env)
    expect(report.sent).toBeGreaterThanOrEqual(1)
    expect((await rowOf(event.id))!.sent_at).not.toBeNull()
  })

  it('stores an event no service subscribes to as sent when it is written: no claim, no relay, no mark', async () => {
    const { recorder, event } = await writeRecorded('1 = 1', paymentCapturedEvent())
    const stored = await rowOf(event.id)
    expect(stored).toMatchObject({ sent_at: event.time, claimed_until: null, attempts: 0 })
    // Not returned to the relay after the write, and not pending for the sweep.
    expect(await relayOutbox(recorder, env)).toEqual({ sent: 0, failed: 0 })
    await drainOutbox(testEnv.DB, env)
    expect(await rowOf(event.id)).toEqual(stored)
  })
})
