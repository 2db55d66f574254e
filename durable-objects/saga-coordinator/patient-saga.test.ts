import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Saga } from '../../shared-contracts/orders'
import { createSagasRepo } from '../../workers/orders/src/repo/sagas-repo'
import type { PointFault } from '../../platform/faults/fault-points'
import { callOrders, customer, paymentsOf, sagaStub, seedProduct, settle, shardOfOrder, stockOf } from '../../test/support/orders'
import { injectFaults, liftFaults, orderRow, pendingOrder } from '../../test/support/saga/place-order'
import type { SagaState } from './engine'

// A callee's outage of up to the retry horizon leaves the order pending and ends confirmed.
// Alarms are run at once (`runDurableObjectAlarm`): the retry schedule, not the wall clock, says
// when each attempt was due, so "30 s of outage" is the attempts whose scheduled times fall in
// the first 30 s of the step's schedule.

const OUTAGE_MS = 30_000
/** A test whose step is retried up to the horizon runs some 25 attempts: more than the default 5 s on a busy machine. */
const UP_TO_THE_HORIZON_MS = 30_000

const view = async (orderId: string) => (await sagaStub(orderId).view()) as Saga
/** How far into the step's schedule its next attempt is due, or null when it is not waiting. */
const dueIn = (saga: Saga, step: number) => {
  const { next_retry_at, started_at } = saga.steps[step]!
  return next_retry_at ? Date.parse(next_retry_at) - Date.parse(started_at!) : null
}

/** A pending order whose saga starts with `faults` already set at its calls; with its owner. */
async function placed(faults: Record<string, PointFault>) {
  const product = await seedProduct({ price: 900, stock: 5 })
  const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_visa')
  injectFaults(input.order_id, faults)
  await sagaStub(input.order_id).start(input)
  return { id: input.order_id, product, user: customer(input.user_id) }
}

/** Runs the saga's alarms while `step` fails, until its next attempt is due `ms` or more into its schedule. */
async function failUntilDue(orderId: string, step: number, ms: number): Promise<Saga> {
  for (let round = 0; round < 200; round++) {
    const saga = await view(orderId)
    const due = dueIn(saga, step)
    if (due !== null && due >= ms) return saga
    expect(saga.status).toBe('running')
    await runDurableObjectAlarm(sagaStub(orderId))
  }
  throw new Error('the step never waited that long')
}

describe('a patient PlaceOrder saga', () => {
  it(
    'inventory down for 30 s: the order stays pending, then ends confirmed with one charge',
    async () => {
      const { id, product, user } = await placed({ reserve_inventory: 'error' })
      const waiting = await failUntilDue(id, 0, OUTAGE_MS)
      expect(waiting.steps[0]!.attempts).toBeGreaterThan(5)
      expect((await orderRow(id)).status).toBe('pending')
      // The owner sees the attempts and when the next one is due.
      const response = await callOrders(`/api/v1/orders/${id}/saga`, { principal: user })
      expect(response.status).toBe(200)
      const shown = (await response.json()) as Saga
      expect(shown).toMatchObject({
        status: 'running',
        steps: [{ name: 'reserve_inventory', status: 'running', attempts: waiting.steps[0]!.attempts }, {}, {}],
      })
      expect(shown.steps[0]!.error).toContain('injected fault')
      expect(Date.parse(shown.steps[0]!.next_retry_at!)).toBeGreaterThan(Date.parse(shown.steps[0]!.started_at!))

      liftFaults(id, ['reserve_inventory'])
      const saga = await settle(id)
      expect(saga.status).toBe('completed')
      expect(saga.steps.every((step) => step.next_retry_at === null)).toBe(true)
      expect(await orderRow(id)).toMatchObject({ status: 'confirmed', cancellation_reason: null })
      expect(await paymentsOf(id)).toEqual([{ status: 'captured', amount_cents: 900 }])
      expect(await stockOf(product)).toEqual({ on_hand: 4, reserved: 0 })
    },
    UP_TO_THE_HORIZON_MS,
  )

  it(
    'payments down for 30 s after the reservation: confirmed, charged once, the stock committed once',
    async () => {
      const { id, product } = await placed({ charge_payment: 'error' })
      await failUntilDue(id, 1, OUTAGE_MS)
      expect((await stockOf(product)).reserved).toBe(1)
      liftFaults(id, ['charge_payment'])
      expect((await settle(id)).status).toBe('completed')
      expect(await orderRow(id)).toMatchObject({ status: 'confirmed' })
      expect(await paymentsOf(id)).toEqual([{ status: 'captured', amount_cents: 900 }])
      expect(await stockOf(product)).toEqual({ on_hand: 4, reserved: 0 })
    },
    UP_TO_THE_HORIZON_MS,
  )

  it(
    'an outage longer than the horizon: compensated and cancelled saga_failed, as before',
    async () => {
      const { id, product } = await placed({ reserve_inventory: 'error' })
      const saga = await settle(id)
      expect(saga.status).toBe('compensated')
      expect(saga.steps[0]).toMatchObject({ status: 'compensated', next_retry_at: null })
      expect(await orderRow(id)).toMatchObject({ status: 'cancelled', cancellation_reason: 'saga_failed' })
      expect(await paymentsOf(id)).toEqual([])
      expect(await stockOf(product)).toEqual({ on_hand: 5, reserved: 0 })
    },
    UP_TO_THE_HORIZON_MS,
  )

  it('the saga summary (the admin list) shows the waiting step too', async () => {
    const { id } = await placed({ reserve_inventory: 'error' })
    const waiting = await failUntilDue(id, 0, 1)
    const summary = await createSagasRepo(await shardOfOrder(id)).find(id)
    expect(summary?.steps[0]).toMatchObject({
      status: 'running',
      attempts: waiting.steps[0]!.attempts,
      next_retry_at: waiting.steps[0]!.next_retry_at,
    })
    liftFaults(id, ['reserve_inventory'])
    expect((await settle(id)).status).toBe('completed')
    expect((await createSagasRepo(await shardOfOrder(id)).find(id))?.steps[0]).toMatchObject({ status: 'succeeded', next_retry_at: null })
  })

  it('evicted while waiting: the alarm stays at the next retry time, and the saga resumes from storage', async () => {
    const { id } = await placed({ reserve_inventory: 'error' })
    const waiting = await failUntilDue(id, 0, 10_000)
    const stub = sagaStub(id)
    await evictDurableObject(stub)
    const after = await runInDurableObject(stub, async (_instance, state) => ({
      alarm: await state.storage.getAlarm(),
      saga: (await state.storage.get<SagaState<unknown>>('saga'))!,
    }))
    expect(after.alarm).toBe(Date.parse(waiting.steps[0]!.next_retry_at!))
    expect(after.saga.steps[0]).toMatchObject({ attempts: waiting.steps[0]!.attempts, next_retry_at: waiting.steps[0]!.next_retry_at })

    liftFaults(id, ['reserve_inventory'])
    const saga = await settle(id)
    expect(saga.status).toBe('completed')
    // The attempts went on counting from where the stored schedule was: nothing started over.
    expect(saga.steps[0]!.attempts).toBe(waiting.steps[0]!.attempts + 1)
    expect(await paymentsOf(id)).toHaveLength(1)
  })
})
