import { DurableObject } from 'cloudflare:workers'
import { relayOutbox } from '../../platform/events/outbox'
import { currentTraceparent, SpanKind, SpanStatusCode, withSpan } from '../../platform/telemetry/trace-context'
import { createLogger } from '../../platform/telemetry/log'
import { withRequestContext } from '../../platform/telemetry/request-context'
import type { Saga } from '../../shared-contracts/orders'
import type { Env } from '../../workers/orders/src/env'
import { createOrdersRepo } from '../../workers/orders/src/repo/orders-repo'
import { createSagasRepo } from '../../workers/orders/src/repo/sagas-repo'
import { rpcCredential } from '../../workers/orders/src/rpc/credentials'
import { applyOrderCommand, type PlaceOrderSagaInput } from '../../workers/orders/src/service/orders-service'
import { guarded } from './guarded'
import { createSaga, nextAction, sagaView, TERMINAL, transition, type Outcome, type SagaEvent, type SagaState } from './engine'
import { cancelOrder, PLACE_ORDER_POLICY, PLACE_ORDER_STEP_NAMES, PLACE_ORDER_STEPS, STEP_TIMEOUT_MS, withoutSpentToken, type PlaceOrderDeps } from './place-order'

type State = SagaState<PlaceOrderSagaInput>
const STATE_KEY = 'saga'
/** The traceparent of the request that started the saga: steps run from alarms continue its trace. */
const TRACE_KEY = 'traceparent'
/** The watchdog alarm while a call is in flight: if the object dies mid-call, this resumes it. */
const WATCHDOG_MS = STEP_TIMEOUT_MS + 5_000
/**
 * A finished saga's storage is deleted this long after it ended (its summary row in orders stays,
 * and serves every read): long enough to look into a saga that just went wrong.
 */
export const FINISHED_SAGA_RETENTION_MS = 24 * 60 * 60_000

const logger = createLogger('orders').with({ component: 'saga-coordinator' })
const log = (message: string, fields: Record<string, unknown>) => logger.error(message, fields)

/**
 * One PlaceOrder saga per order (`SAGAS.idFromName(order_id)`). Its state lives in the object's
 * storage and is written before and after every call; alarms drive it, one action per alarm,
 * so an eviction or a restart at any point resumes where the stored state says.
 */
export class SagaCoordinator extends DurableObject<Env> {
  /**
   * Failures to inject (tests, through runInDurableObject): by step name, or `compensate:<name>`.
   * In memory only: nothing outside a test sets it.
   */
  faults = new Map<string, Outcome>()
  /**
   * Answers to lose (tests): the call is made for real, then this outcome is reported instead,
   * as when a call succeeds but its answer never arrives (a timeout with an unknown outcome).
   */
  lostAnswers = new Map<string, Outcome>()
  private advancing: Promise<void> | null = null

  /**
   * Starts the saga; idempotent: a second start answers the saga as it is. `traceparent` is the
   * caller's span (DO calls carry no headers); the saga's steps become children of this call.
   */
  start(input: PlaceOrderSagaInput, traceparent?: string): Promise<Saga> {
    const attributes = { 'rpc.system': 'cloudflare_durable_objects', 'rpc.service': 'SagaCoordinator', 'rpc.method': 'start', 'saga.order_id': input.order_id }
    return withSpan('SagaCoordinator/start', { kind: SpanKind.SERVER, parent: traceparent, attributes }, () => this.startSaga(input))
  }

  private async startSaga(input: PlaceOrderSagaInput): Promise<Saga> {
    const existing = await this.load()
    if (existing) return sagaView(existing)
    // Storage is gone a while after the end: a late start (a repeated request, the sweep) must
    // not run a finished saga again, and its summary says it finished.
    const finished = await createSagasRepo(this.env.DB).find(input.order_id)
    if (finished && TERMINAL.includes(finished.status)) return finished
    const state = createSaga(input.order_id, input, PLACE_ORDER_STEP_NAMES, Date.now())
    const traceparent = currentTraceparent()
    await this.ctx.storage.put({ [STATE_KEY]: state, ...(traceparent ? { [TRACE_KEY]: traceparent } : {}) })
    await this.ctx.storage.setAlarm(state.next_at)
    // Started either way: the next change writes the summary again.
    await this.summarise(state).catch((error: unknown) => log('saga summary not written', { order_id: state.id, error }))
    return sagaView(state)
  }

  /** The saga's public view; null if it was never started. */
  async view(): Promise<Saga | null> {
    const state = await this.load()
    return state ? sagaView(state) : null
  }

  override async alarm(): Promise<void> {
    // One action at a time, even if a manual and a scheduled alarm meet.
    // An alarm is no request: its log lines carry the id the saga's calls carry (`saga-<order id>`).
    const requestId = `saga-${this.ctx.id.name ?? this.ctx.id.toString()}`
    this.advancing ??= withRequestContext({ requestId }, () => this.advance()).finally(() => {
      this.advancing = null
    })
    await this.advancing
  }

  private async load(): Promise<State | null> {
    return (await this.ctx.storage.get<State>(STATE_KEY)) ?? null
  }

  private deps(orderId: string): PlaceOrderDeps {
    const orders = createOrdersRepo(this.env.DB)
    return {
      inventory: this.env.INVENTORY,
      payments: this.env.PAYMENTS,
      credential: (audience) => rpcCredential(this.env, audience, `saga-${orderId}`),
      orderCommand: (id, command) => applyOrderCommand(orders, id, command, () => new Date()),
    }
  }

  /** Applies an event and stores the result before anything else happens. */
  private async apply(state: State, event: SagaEvent): Promise<State> {
    const next = withoutSpentToken(transition(state, event, PLACE_ORDER_POLICY, { now: Date.now(), random: Math.random() }))
    await this.ctx.storage.put(STATE_KEY, next)
    await this.summarise(next).catch((error: unknown) => log('saga summary not written', { order_id: state.id, error }))
    return next
  }

  /** A step's call, in a span that is a child of the request that started the saga. */
  private async call(faultKey: string, run: () => Promise<Outcome>): Promise<Outcome> {
    const parent = await this.ctx.storage.get<string>(TRACE_KEY)
    const attributes = { 'saga.name': 'place_order', 'saga.step': faultKey, 'saga.order_id': this.ctx.id.name ?? '' }
    return withSpan(`saga ${faultKey}`, { parent, attributes }, async (span) => {
      const outcome = await this.callUntraced(faultKey, run)
      span?.setAttribute('saga.outcome', outcome.kind)
      if (outcome.kind !== 'ok') span?.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error })
      return outcome
    })
  }

  private async callUntraced(faultKey: string, run: () => Promise<Outcome>): Promise<Outcome> {
    const fault = this.faults.get(faultKey)
    if (fault) return fault
    await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS)
    const lost = this.lostAnswers.get(faultKey)
    if (lost) {
      await guarded(run, STEP_TIMEOUT_MS)
      return lost
    }
    return guarded(run, STEP_TIMEOUT_MS)
  }

  /** Does the next action, stores the result, and sets the alarm for the one after. */
  private async advance(): Promise<void> {
    let state = await this.load()
    if (!state) return
    const deps = this.deps(state.id)
    const action = nextAction(state)
    switch (action.kind) {
      case 'done':
        return this.retire(state)
      case 'run': {
        const step = PLACE_ORDER_STEPS[action.step]!
        state = await this.apply(state, { type: 'step_started', step: action.step })
        if (state.steps[action.step]!.status !== 'running') break
        const outcome = await this.call(step.name, () => step.run(deps, state!.input))
        state = await this.apply(state, { type: 'step_finished', step: action.step, outcome })
        if (step.name === 'confirm_order' && outcome.kind === 'ok') await this.relay()
        break
      }
      case 'compensate': {
        const step = PLACE_ORDER_STEPS[action.step]!
        state = await this.apply(state, { type: 'compensation_started', step: action.step })
        const outcome = await this.call(`compensate:${step.name}`, () => step.compensate(deps, state!.input))
        state = await this.apply(state, { type: 'compensation_finished', step: action.step, outcome })
        break
      }
      case 'finalize': {
        state = await this.apply(state, { type: 'finalize_started' })
        const outcome = await this.call('finalize', () => cancelOrder(deps, state!.input, action.reason))
        state = await this.apply(state, { type: 'finalized', outcome })
        if (outcome.kind === 'ok') await this.relay()
        break
      }
    }
    if (TERMINAL.includes(state.status)) {
      await this.retire(state)
    } else {
      await this.ctx.storage.setAlarm(state.next_at)
    }
  }

  /**
   * A finished saga: its summary written, then its storage deleted FINISHED_SAGA_RETENTION_MS
   * after it ended (the alarm comes back then).
   */
  private async retire(state: State): Promise<void> {
    await this.summarise(state)
    const deleteAt = Date.parse(state.updated_at) + FINISHED_SAGA_RETENTION_MS
    if (Date.now() < deleteAt) {
      await this.ctx.storage.setAlarm(deleteAt)
      return
    }
    await this.ctx.storage.deleteAlarm()
    await this.ctx.storage.deleteAll()
  }

  /** The order's confirmed / cancelled event leaves now, not at the next sweep (best effort). */
  private async relay(): Promise<void> {
    // In the order's trace too (an alarm runs this), beside the step that wrote the events.
    const parent = await this.ctx.storage.get<string>(TRACE_KEY)
    await withSpan('saga relay_events', { parent }, () =>
      relayOutbox(this.env.DB, this.env).catch((error: unknown) => log('outbox relay failed', { error })),
    )
  }

  private async summarise(state: State): Promise<void> {
    await createSagasRepo(this.env.DB).upsert({ saga: sagaView(state), revision: state.revision, createdAt: state.created_at, updatedAt: state.updated_at })
  }
}
