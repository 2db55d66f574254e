import { runDurableObjectAlarm } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Saga } from '../../shared-contracts/orders'
import { sagaStub, seedProduct, settle, shardOfOrder } from '../../test/support/orders'
import { injectFaults, liftFaults, orderRow, pendingOrder } from '../../test/support/saga/place-order'

// The summary of a saga that ends is written in the batch of the order change that ends it (the
// confirm, or the cancel after compensating): the `sagas` row and the order change together.

/** The saga's row in orders' `sagas` table, as the admin list and the sweep read it. */
async function summaryRow(orderId: string): Promise<{ saga: Saga; revision: number }> {
  const row = await (await shardOfOrder(orderId))
    .prepare('SELECT order_id, status, steps, revision FROM sagas WHERE order_id = ?1')
    .bind(orderId)
    .first<{ order_id: string; status: Saga['status']; steps: string; revision: number }>()
  if (!row) throw new Error(`no summary of ${orderId}`)
  return { saga: { order_id: row.order_id, status: row.status, steps: JSON.parse(row.steps) as Saga['steps'] }, revision: row.revision }
}

describe('the summary of a saga that ends', () => {
  it('is the coordinator’s own final view, for a confirmed order and for a cancelled one', async () => {
    const product = await seedProduct({ stock: 5 })
    for (const token of ['tok_visa', 'tok_chargeDeclined']) {
      const input = await pendingOrder([{ product_id: product, quantity: 1 }], token)
      await sagaStub(input.order_id).start(input)
      const saga = await settle(input.order_id)
      expect(saga.status).toBe(token === 'tok_visa' ? 'completed' : 'compensated')
      expect((await summaryRow(input.order_id)).saga).toEqual(saga)
    }
  })

  it('says completed as soon as the order is confirmed, even while the confirm’s lost answer is retried', async () => {
    const product = await seedProduct({ stock: 5 })
    const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_visa')
    // The confirm is made for real, then its answer is lost: the coordinator waits to retry it.
    injectFaults(input.order_id, { confirm_order: 'lost_answer' })
    const stub = sagaStub(input.order_id)
    await stub.start(input)
    const confirmAttempts = async () => ((await stub.view()) as Saga).steps[2]!.attempts
    for (let round = 0; round < 100 && (await confirmAttempts()) < 1; round++) await runDurableObjectAlarm(stub)
    expect(await stub.view()).toMatchObject({ status: 'running', steps: [{}, {}, { status: 'running' }] })
    expect(await orderRow(input.order_id)).toMatchObject({ status: 'confirmed' })
    const early = await summaryRow(input.order_id)
    expect(early.saga).toMatchObject({
      status: 'completed',
      steps: [{ status: 'succeeded' }, { status: 'succeeded' }, { status: 'succeeded' }],
    })

    liftFaults(input.order_id, ['confirm_order'])
    const saga = await settle(input.order_id)
    expect(saga.status).toBe('completed')
    // The retry's own final state is newer, and replaces the early summary.
    const final = await summaryRow(input.order_id)
    expect(final.saga).toEqual(saga)
    expect(final.revision).toBeGreaterThan(early.revision)
  })
})
