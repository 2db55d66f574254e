import { describe, expect, it } from 'vitest'
import { sagaClient } from '../../../../durable-objects/saga-coordinator/client'
import { injectFaults, liftFaults, orderRow, pendingOrder } from '../../../../test/support/saga/place-order'
import { createSagasRepo } from '../repo/sagas-repo'
import type { PlaceOrderSagaInput, Saga } from '../../../../shared-contracts/orders'
import {
  callOrders,
  deliver,
  newUserId,
  orderShards,
  sagaStub,
  seedProduct,
  settle,
  shardOfUser,
  testEnv,
  userDeletedEvent,
} from '../../../../test/support/orders'
import { DELETED_USER_ID } from '../../../../shared-contracts/events'
import { EVENTS_QUEUE } from '../events/queue'
import { runDurableObjectAlarm } from 'cloudflare:test'
import { LOST_START_MS, startLostSagas } from './saga-sweep'

/** A saga's summary row, on its user's shard. */
const summary = (input: PlaceOrderSagaInput) =>
  shardOfUser(input.user_id)
    .prepare('SELECT status, revision, input FROM sagas WHERE order_id = ?1')
    .bind(input.order_id)
    .first<{ status: string; revision: number; input: string | null }>()

describe('the sweep starts sagas whose start was lost', () => {
  it('finds the order written without a started saga, starts it; the payment token is not kept after the end', async () => {
    const product = await seedProduct()
    // Placed, but the call to the coordinator never happened.
    const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_visa')
    expect(await sagaStub(input.order_id).view()).toBeNull()
    expect(await summary(input)).toMatchObject({ status: 'running', revision: 0, input: expect.stringContaining('tok_visa') })

    const repo = createSagasRepo(shardOfUser(input.user_id))
    // Not yet: it may still be starting.
    await startLostSagas(repo, sagaClient(testEnv.SAGAS), new Date())
    expect(await sagaStub(input.order_id).view()).toBeNull()

    await startLostSagas(repo, sagaClient(testEnv.SAGAS), new Date(Date.now() + LOST_START_MS + 1_000))
    expect(await settle(input.order_id)).toMatchObject({ status: 'completed' })
    expect(await summary(input)).toMatchObject({ status: 'completed', input: null })
  })

  it('is part of the sweep the gateway asks for (POST /internal/sweep)', async () => {
    const product = await seedProduct()
    const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_visa')
    // Written over a minute ago, and never started.
    const longAgo = new Date(Date.now() - LOST_START_MS - 1_000).toISOString()
    await shardOfUser(input.user_id).prepare('UPDATE sagas SET created_at = ?1 WHERE order_id = ?2').bind(longAgo, input.order_id).run()

    const swept = await callOrders('/internal/sweep', { method: 'POST' })
    expect(swept.status).toBe(200)
    expect(await swept.json()).toMatchObject({ sagas_started: expect.any(Number), outbox_failed: 0 })
    expect(await settle(input.order_id)).toMatchObject({ status: 'completed' })
  })

  it("starts an erased user's lost saga on the shard that holds its order, although its input no longer names the user", async () => {
    const product = await seedProduct()
    // A user whose shard is not the tombstone's: looked up by the tombstone, the order would not be found.
    let user = newUserId()
    while (shardOfUser(user) === shardOfUser(DELETED_USER_ID)) user = newUserId()
    const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_visa', user)
    await deliver(EVENTS_QUEUE, [userDeletedEvent(input.user_id)])
    const erased = JSON.parse((await summary(input))!.input!) as PlaceOrderSagaInput
    expect(erased.user_id).toBe(DELETED_USER_ID)

    // The sweep passes every shard; the erased input's own shard (by the tombstone) may be another.
    for (const db of orderShards())
      await startLostSagas(createSagasRepo(db), sagaClient(testEnv.SAGAS), new Date(Date.now() + 10 * LOST_START_MS))
    expect(await settle(input.order_id)).toMatchObject({ status: 'completed' })
    expect(await orderRow(input.order_id)).toMatchObject({ status: 'confirmed', user_id: DELETED_USER_ID })
    expect(await summary(input)).toMatchObject({ status: 'completed' })
  })

  it('leaves a saga that waits to retry a step alone, however long ago its order was placed', async () => {
    const product = await seedProduct()
    const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_visa')
    injectFaults(input.order_id, { reserve_inventory: 'error' })
    const stub = sagaStub(input.order_id)
    await stub.start(input)
    // Failed until its next attempt is due 5 s into its retry schedule (alarms run at once).
    const dueIn = (saga: Saga) =>
      saga.steps[0]!.next_retry_at ? Date.parse(saga.steps[0]!.next_retry_at) - Date.parse(saga.steps[0]!.started_at!) : 0
    for (let round = 0; round < 100 && dueIn((await stub.view()) as Saga) < 5_000; round++) await runDurableObjectAlarm(stub)
    const waiting = (await stub.view()) as Saga
    expect(waiting).toMatchObject({ status: 'running', steps: [{ status: 'running', next_retry_at: expect.any(String) }, {}, {}] })
    const longAgo = new Date(Date.now() - LOST_START_MS - 1_000).toISOString()
    await shardOfUser(input.user_id).prepare('UPDATE sagas SET created_at = ?1 WHERE order_id = ?2').bind(longAgo, input.order_id).run()

    await startLostSagas(createSagasRepo(shardOfUser(input.user_id)), sagaClient(testEnv.SAGAS), new Date(Date.now() + 10 * LOST_START_MS))
    expect(await stub.view()).toEqual(waiting)
    liftFaults(input.order_id, ['reserve_inventory'])
    expect(await settle(input.order_id)).toMatchObject({
      status: 'completed',
      steps: [{ attempts: waiting.steps[0]!.attempts + 1 }, { attempts: 1 }, { attempts: 1 }],
    })
  })
})
