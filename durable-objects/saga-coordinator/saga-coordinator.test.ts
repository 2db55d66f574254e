import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { Saga } from '../../shared-contracts/orders'
import { paymentsOf, sagaStub, seedProduct, settle, shardOfOrder, stockOf, testEnv } from '../../test/support/orders'
import { rpcCredential } from '../../workers/orders/src/rpc/credentials'
import { PLACE_ORDER_POLICY, PLACE_ORDER_STEP_NAMES } from '../../workers/orders/src/saga/place-order'
import { placeOrderHost } from '../../workers/orders/src/saga/place-order-host'
import { injectFaults, liftFaults, orderRow, pendingOrder } from '../../test/support/saga/place-order'
import { createSaga, transition, type SagaEvent, type SagaState } from './engine'
const statuses = (saga: Saga) => saga.steps.map((step) => step.status)
/** What a step got before retries ran to a horizon: the budgets here must stay at least this generous. */
const FORMER_STEP_ATTEMPTS = 5
/** A test whose step is retried up to the horizon makes some 25 real calls: more than the default 5 s on a busy machine. */
const UP_TO_THE_HORIZON_MS = 30_000

describe('SagaCoordinator: PlaceOrder against the real inventory and payments', () => {
  it('tok_visa: completed, order confirmed, stock committed, one capture', async () => {
    const product = await seedProduct({ price: 700, stock: 5 })
    const input = await pendingOrder([{ product_id: product, quantity: 2 }], 'tok_visa')
    const started = await sagaStub(input.order_id).start(input)
    expect(started).toMatchObject({ order_id: input.order_id, status: 'running' })
    const saga = await settle(input.order_id)
    expect(saga.status).toBe('completed')
    expect(statuses(saga)).toEqual(['succeeded', 'succeeded', 'succeeded'])
    expect(saga.steps.every((step) => step.attempts === 1 && step.started_at && step.finished_at && step.error === null)).toBe(true)
    expect(await orderRow(input.order_id)).toMatchObject({ status: 'confirmed', version: 2 })
    expect(await stockOf(product)).toEqual({ on_hand: 3, reserved: 0 })
    expect(await paymentsOf(input.order_id)).toEqual([{ status: 'captured', amount_cents: 1400 }])
  })

  it('tok_chargeDeclined: stock released, order cancelled payment_declined, saga compensated', async () => {
    const product = await seedProduct({ stock: 5 })
    const input = await pendingOrder([{ product_id: product, quantity: 2 }], 'tok_chargeDeclined')
    await sagaStub(input.order_id).start(input)
    const saga = await settle(input.order_id)
    expect(saga.status).toBe('compensated')
    expect(statuses(saga)).toEqual(['compensated', 'compensated', 'pending'])
    expect(saga.steps[1]!.error).toContain('payment_declined')
    expect(await orderRow(input.order_id)).toMatchObject({ status: 'cancelled', cancellation_reason: 'payment_declined' })
    expect(await stockOf(product)).toEqual({ on_hand: 5, reserved: 0 })
    expect((await paymentsOf(input.order_id)).map((payment) => payment.status)).toEqual(['declined'])
  })

  it('out of stock: cancelled out_of_stock, nothing charged', async () => {
    const product = await seedProduct({ stock: 1 })
    const input = await pendingOrder([{ product_id: product, quantity: 3 }], 'tok_visa')
    await sagaStub(input.order_id).start(input)
    const saga = await settle(input.order_id)
    expect(saga.status).toBe('compensated')
    expect(statuses(saga)).toEqual(['compensated', 'pending', 'pending'])
    expect(await orderRow(input.order_id)).toMatchObject({ status: 'cancelled', cancellation_reason: 'out_of_stock' })
    expect(await paymentsOf(input.order_id)).toEqual([])
    expect(await stockOf(product)).toEqual({ on_hand: 1, reserved: 0 })
  })

  it('tok_transientError_2: retried, then completed with one capture', async () => {
    const product = await seedProduct({ stock: 5 })
    const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_transientError_2')
    await sagaStub(input.order_id).start(input)
    const saga = await settle(input.order_id)
    expect(saga.status).toBe('completed')
    expect(saga.steps[1]).toMatchObject({ name: 'charge_payment', status: 'succeeded', attempts: 3, error: null })
    expect(await paymentsOf(input.order_id)).toEqual([{ status: 'captured', amount_cents: input.total_cents }])
    expect(await stockOf(product)).toEqual({ on_hand: 4, reserved: 0 })
  })

  for (const [index, name] of PLACE_ORDER_STEP_NAMES.entries()) {
    it(
      `a failure at ${name}: exactly the started steps compensated, in reverse`,
      async () => {
        const product = await seedProduct({ stock: 5 })
        const input = await pendingOrder([{ product_id: product, quantity: 2 }], 'tok_visa')
        injectFaults(input.order_id, { [name]: 'error' })
        await sagaStub(input.order_id).start(input)
        const saga = await settle(input.order_id)
        expect(saga.status).toBe('compensated')
        expect(statuses(saga)).toEqual(PLACE_ORDER_STEP_NAMES.map((_, step) => (step <= index ? 'compensated' : 'pending')))
        const finished = saga.steps.slice(0, index + 1).map((step) => Date.parse(step.finished_at!))
        expect([...finished].sort((a, b) => b - a)).toEqual(finished)
        expect(await orderRow(input.order_id)).toMatchObject({ status: 'cancelled', cancellation_reason: 'saga_failed' })
        expect(await stockOf(product)).toEqual({ on_hand: 5, reserved: 0 })
        const payments = (await paymentsOf(input.order_id)).map((payment) => payment.status)
        expect(payments).toEqual(index >= 2 ? ['refunded'] : [])
      },
      UP_TO_THE_HORIZON_MS,
    )
  }

  it(
    'a step that keeps failing transiently: retried up to the horizon, then compensated and cancelled saga_failed',
    async () => {
      const product = await seedProduct({ stock: 5 })
      const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_transientError')
      await sagaStub(input.order_id).start(input)
      const saga = await settle(input.order_id)
      expect(saga.status).toBe('compensated')
      expect(saga.steps[1]).toMatchObject({ name: 'charge_payment', status: 'compensated', next_retry_at: null })
      expect(saga.steps[1]!.attempts).toBeGreaterThan(FORMER_STEP_ATTEMPTS)
      // Its last attempt was due within the horizon, and the one after would have been past it.
      const charge = await runInDurableObject(
        sagaStub(input.order_id),
        async (_instance, state) => (await state.storage.get<SagaState<unknown>>('saga'))!.steps[1]!,
      )
      const lastDue = charge.due_at! - Date.parse(charge.started_at!)
      expect(lastDue).toBeLessThanOrEqual(PLACE_ORDER_POLICY.horizonMs)
      expect(lastDue).toBeGreaterThan(PLACE_ORDER_POLICY.horizonMs - PLACE_ORDER_POLICY.retryCapMs)
      expect(saga.steps[1]!.error).toContain('provider_error')
      expect(await orderRow(input.order_id)).toMatchObject({ status: 'cancelled', cancellation_reason: 'saga_failed' })
      expect(await stockOf(product)).toEqual({ on_hand: 5, reserved: 0 })
      expect((await paymentsOf(input.order_id)).filter((payment) => payment.status === 'captured')).toEqual([])
    },
    UP_TO_THE_HORIZON_MS,
  )

  it(
    'a charge that timed out but succeeded is refunded on compensation',
    async () => {
      const product = await seedProduct({ stock: 5 })
      const input = await pendingOrder([{ product_id: product, quantity: 2 }], 'tok_visa')
      // Every charge attempt captures (once: same key), and every answer is lost.
      injectFaults(input.order_id, { charge_payment: 'lost_answer' })
      await sagaStub(input.order_id).start(input)
      const saga = await settle(input.order_id)
      expect(saga.status).toBe('compensated')
      expect(statuses(saga)).toEqual(['compensated', 'compensated', 'pending'])
      expect(await paymentsOf(input.order_id)).toEqual([{ status: 'refunded', amount_cents: input.total_cents }])
      expect(await stockOf(product)).toEqual({ on_hand: 5, reserved: 0 })
      expect(await orderRow(input.order_id)).toMatchObject({ status: 'cancelled', cancellation_reason: 'saga_failed' })
    },
    UP_TO_THE_HORIZON_MS,
  )

  it('confirm_order committed but its answers were lost as often as a step once could: retried on, completed, stock out once', async () => {
    const product = await seedProduct({ stock: 5 })
    const input = await pendingOrder([{ product_id: product, quantity: 2 }], 'tok_visa')
    // The first attempt commits the stock and confirms the order; its answer and the next ones are lost (timeouts).
    injectFaults(input.order_id, { confirm_order: 'lost_answer' })
    await sagaStub(input.order_id).start(input)
    const stub = sagaStub(input.order_id)
    const confirmAttempts = async () => ((await stub.view()) as Saga).steps[2]!.attempts
    for (let round = 0; round < 100 && (await confirmAttempts()) < FORMER_STEP_ATTEMPTS; round++) await runDurableObjectAlarm(stub)
    expect(await stub.view()).toMatchObject({
      status: 'running',
      steps: [{ status: 'succeeded' }, { status: 'succeeded' }, { status: 'running', attempts: FORMER_STEP_ATTEMPTS }],
    })
    liftFaults(input.order_id, ['confirm_order'])
    const saga = await settle(input.order_id)
    expect(saga.status).toBe('completed')
    expect(saga.steps[2]).toMatchObject({ status: 'succeeded', attempts: FORMER_STEP_ATTEMPTS + 1 })
    expect(await orderRow(input.order_id)).toMatchObject({ status: 'confirmed' })
    expect(await stockOf(product)).toEqual({ on_hand: 3, reserved: 0 })
    expect(await paymentsOf(input.order_id)).toEqual([{ status: 'captured', amount_cents: input.total_cents }])
  })

  it(
    'a compensation that keeps failing: step compensation_failed, the others still run, saga failed',
    async () => {
      const product = await seedProduct({ stock: 5 })
      const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_refundTransientError')
      injectFaults(input.order_id, { confirm_order: 'error' })
      await sagaStub(input.order_id).start(input)
      const saga = await settle(input.order_id)
      expect(saga.status).toBe('failed')
      expect(statuses(saga)).toEqual(['compensated', 'compensation_failed', 'compensated'])
      expect(saga.steps[1]!.error).toContain('provider_error')
      expect(await stockOf(product)).toEqual({ on_hand: 5, reserved: 0 })
      expect(await orderRow(input.order_id)).toMatchObject({ status: 'cancelled' })
    },
    UP_TO_THE_HORIZON_MS,
  )

  it('evicted between runs (while it waits for a retry, and after the end): resumes from storage to the end, effects once', async () => {
    const product = await seedProduct({ price: 300, stock: 5 })
    const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_transientError_1')
    await sagaStub(input.order_id).start(input)
    for (let round = 0; round < 50; round++) {
      const stub = sagaStub(input.order_id)
      await evictDurableObject(stub).catch(() => undefined) // not running: nothing to evict
      const saga = (await stub.view()) as Saga
      if (saga.status === 'completed') break
      await runDurableObjectAlarm(stub)
    }
    const saga = await settle(input.order_id)
    expect(saga.status).toBe('completed')
    expect(await paymentsOf(input.order_id)).toEqual([{ status: 'captured', amount_cents: 300 }])
    expect(await stockOf(product)).toEqual({ on_hand: 4, reserved: 0 })
  })

  // What the coordinator stores before the call of each step: the step started, with every
  // earlier step's start and outcome. An object that dies after that write, its call made and its
  // answer never stored, is resumed by the watchdog alarm from that state.
  for (const [index, name] of PLACE_ORDER_STEP_NAMES.entries()) {
    it(`dead after the state before ${name}'s call was stored, the call made: resumes to the end, effects once`, async () => {
      const product = await seedProduct({ price: 300, stock: 5 })
      const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_visa')
      const host = placeOrderHost(testEnv)
      const apply = (state: SagaState<typeof input>, event: SagaEvent) =>
        host.scrub(transition(state, event, host.policy, { now: Date.now(), random: 0 }))
      let stored = createSaga(input.order_id, input, PLACE_ORDER_STEP_NAMES, Date.now())
      for (let step = 0; step <= index; step++) {
        if (step > 0) stored = apply(stored, { type: 'step_finished', step: step - 1, outcome: { kind: 'ok' } })
        stored = apply(stored, { type: 'step_started', step })
        expect(await host.steps[step]!.run(input)).toEqual({ kind: 'ok' }) // the call, really made
      }
      const stub = sagaStub(input.order_id)
      await runInDurableObject(stub, async (_instance, state) => {
        await state.storage.put('saga', stored)
        await state.storage.setAlarm(Date.now() + 60_000)
      })
      await evictDurableObject(stub)
      const saga = await settle(input.order_id)
      expect(saga.status).toBe('completed')
      expect(saga.steps.map((step) => step.attempts)).toEqual(PLACE_ORDER_STEP_NAMES.map((_, step) => (step === index ? 2 : 1)))
      expect(await orderRow(input.order_id)).toMatchObject({ status: 'confirmed', version: 2 })
      expect(await stockOf(product)).toEqual({ on_hand: 4, reserved: 0 })
      expect(await paymentsOf(input.order_id)).toEqual([{ status: 'captured', amount_cents: 300 }])
    })
  }

  it('a crash mid-step (started, never finished): the step runs again with the same key, effects once', async () => {
    const product = await seedProduct({ stock: 5 })
    const input = await pendingOrder([{ product_id: product, quantity: 2 }], 'tok_visa')
    // The reservation really happened, but the coordinator died before storing the answer.
    const credential = await rpcCredential(testEnv, 'inventory', 'test')
    await testEnv.INVENTORY.reserve(credential, {
      order_id: input.order_id,
      items: [{ product_id: product, quantity: 2 }],
      key: `${input.order_id}:reserve_inventory`,
    })
    const stub = sagaStub(input.order_id)
    await runInDurableObject(stub, async (_instance, state) => {
      const crashed = transition(
        createSaga(input.order_id, input, PLACE_ORDER_STEP_NAMES, Date.now()),
        { type: 'step_started', step: 0 },
        PLACE_ORDER_POLICY,
        {
          now: Date.now(),
          random: 0,
        },
      )
      await state.storage.put('saga', crashed)
      await state.storage.setAlarm(Date.now() + 60_000)
    })
    await evictDurableObject(stub)
    const saga = await settle(input.order_id)
    expect(saga.status).toBe('completed')
    expect(saga.steps[0]).toMatchObject({ status: 'succeeded', attempts: 2 })
    expect(await stockOf(product)).toEqual({ on_hand: 3, reserved: 0 })
    expect(await paymentsOf(input.order_id)).toHaveLength(1)
  })

  it('start is idempotent; replaying alarms after the end changes nothing', async () => {
    const product = await seedProduct({ stock: 5 })
    const input = await pendingOrder([{ product_id: product, quantity: 1 }], 'tok_visa')
    await sagaStub(input.order_id).start(input)
    const done = await settle(input.order_id)
    expect(await sagaStub(input.order_id).start(input)).toEqual(done)
    await runInDurableObject(sagaStub(input.order_id), (instance) => (instance as unknown as { alarm(): Promise<void> }).alarm())
    expect(await sagaStub(input.order_id).view()).toEqual(done)
    expect(await paymentsOf(input.order_id)).toHaveLength(1)
    expect(await orderRow(input.order_id)).toMatchObject({ status: 'confirmed', version: 2 })
    const events = await (await shardOfOrder(input.order_id))
      .prepare("SELECT type FROM outbox WHERE json_extract(envelope, '$.subject') = ?1")
      .bind(input.order_id)
      .all<{ type: string }>()
    expect(events.results.map((row) => row.type.split('.').at(-2))).toEqual(['placed', 'confirmed'])
  })
})
