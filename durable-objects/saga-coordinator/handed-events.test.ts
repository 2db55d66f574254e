import { describe, expect, it } from 'vitest'
import type { Saga } from '../../shared-contracts/orders'
import { sagaStub, seedProduct, settle, shardOfOrder } from '../../test/support/orders'
import { pendingOrder } from '../../test/support/saga/place-order'
import { WRITER_LEASE_MS, type WrittenRow } from '../../platform/events/written-events'

// The outbox rows a start is handed (a placement's order.placed) leave with the saga's first
// relay, but never so late that their writer's claim could lapse and the sweep send them too.

describe('events handed to a saga', () => {
  it('leave before the next call once they are old enough that a slow call could outlast their claim', async () => {
    const product = await seedProduct({ stock: 5 })
    const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_visa')
    const db = await shardOfOrder(input.order_id)
    const placed = await db
      .prepare("SELECT id, envelope, created_at FROM outbox WHERE json_extract(envelope, '$.subject') = ?1")
      .bind(input.order_id)
      .first<WrittenRow>()
    // Handed as if written most of a claim ago: one more slow call and the sweep could take it.
    const old = { ...placed!, created_at: new Date(Date.now() - (WRITER_LEASE_MS - 5_000)).toISOString() }
    await sagaStub(input.order_id).start(input, undefined, { fresh: true, events: [old] })
    const saga = (await settle(input.order_id)) as Saga
    expect(saga.status).toBe('completed')
    const sent = await db.prepare('SELECT sent_at FROM outbox WHERE id = ?1').bind(placed!.id).first<{ sent_at: string | null }>()
    // Sent before the run went on, not with the confirm's event at its end.
    expect(sent!.sent_at).not.toBeNull()
    expect(sent!.sent_at! < saga.steps[2]!.finished_at!).toBe(true)
  })
})
