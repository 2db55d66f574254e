import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { sagaStub, seedProduct, settle, shardOfOrder } from '../../test/support/orders'
import type { PlaceOrderSagaInput } from '../../shared-contracts/orders'
import { SPENT_TOKEN } from '../../workers/orders/src/saga/place-order'
import type { SagaCoordinator } from '../../workers/orders/src/saga/saga-coordinator'
import { pendingOrder } from '../../test/support/saga/place-order'
import type { SagaState } from './engine'
import { FINISHED_SAGA_RETENTION_MS } from './saga-coordinator'

type State = SagaState<PlaceOrderSagaInput>

const storedState = (orderId: string) =>
  runInDurableObject(sagaStub(orderId), async (_instance: SagaCoordinator, state) => ({
    saga: (await state.storage.get<State>('saga')) ?? null,
    keys: [...(await state.storage.list()).keys()],
    alarm: await state.storage.getAlarm(),
  }))

const summaryInput = async (orderId: string) =>
  (
    await (
      await shardOfOrder(orderId)
    )
      .prepare('SELECT input FROM sagas WHERE order_id = ?1')
      .bind(orderId)
      .first<{ input: string | null }>()
  )?.input ?? null

describe('SagaCoordinator: nothing kept longer than it is needed', () => {
  it('removes the payment token from its storage and from sagas.input once the charge succeeded', async () => {
    const product = await seedProduct({ stock: 5 })
    const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_visa')
    expect(await summaryInput(input.order_id)).toContain('tok_visa')
    await sagaStub(input.order_id).start(input)
    // The coordinator's first summary clears the copy kept for a lost start.
    expect(await summaryInput(input.order_id)).toBeNull()
    expect((await settle(input.order_id)).status).toBe('completed')
    const { saga } = await storedState(input.order_id)
    expect(saga!.input.payment_token).toBe(SPENT_TOKEN)
    expect(JSON.stringify(saga)).not.toContain('tok_visa')
  })

  it('removes the token once the charge was declined and compensated', async () => {
    const product = await seedProduct({ stock: 5 })
    const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_chargeDeclined')
    await sagaStub(input.order_id).start(input)
    expect((await settle(input.order_id)).status).toBe('compensated')
    expect(JSON.stringify((await storedState(input.order_id)).saga)).not.toContain('tok_chargeDeclined')
  })

  it('keeps a finished saga for the grace period (alarm set), then deletes its storage; the summary stays and a late start runs nothing', async () => {
    const product = await seedProduct({ stock: 5 })
    const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_visa')
    await sagaStub(input.order_id).start(input)
    await settle(input.order_id)
    const finished = await storedState(input.order_id)
    expect(finished.alarm).toBe(Date.parse(finished.saga!.updated_at) + FINISHED_SAGA_RETENTION_MS)

    // The alarm before the grace period is over keeps everything.
    expect(await runDurableObjectAlarm(sagaStub(input.order_id))).toBe(true)
    expect((await storedState(input.order_id)).saga).not.toBeNull()

    // As if it had ended longer ago than the grace period.
    const ended = new Date(Date.now() - FINISHED_SAGA_RETENTION_MS - 1_000).toISOString()
    await runInDurableObject(sagaStub(input.order_id), async (_instance: SagaCoordinator, state) => {
      await state.storage.put('saga', { ...finished.saga!, updated_at: ended })
      // Far enough ahead that workerd does not fire it on its own first; runDurableObjectAlarm runs it now.
      await state.storage.setAlarm(Date.now() + 60_000)
    })
    expect(await runDurableObjectAlarm(sagaStub(input.order_id))).toBe(true)
    expect(await storedState(input.order_id)).toEqual({ saga: null, keys: [], alarm: null })

    const summary = await (await shardOfOrder(input.order_id))
      .prepare('SELECT status FROM sagas WHERE order_id = ?1')
      .bind(input.order_id)
      .first<{ status: string }>()
    expect(summary).toEqual({ status: 'completed' })
    const again = await sagaStub(input.order_id).start({ ...input, payment_token: 'tok_visa' })
    expect(again.status).toBe('completed')
    expect(await storedState(input.order_id)).toEqual({ saga: null, keys: [], alarm: null })
  })
})
