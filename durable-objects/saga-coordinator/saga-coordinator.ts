import { DurableObject } from 'cloudflare:workers'
import { atFaultPoint } from '../../platform/faults/fault-points'
import type { FaultBindings } from '../../platform/faults/faults'
import { currentTraceparent, SpanKind, SpanStatusCode, withSpan } from '../../platform/telemetry/trace-context'
import { createLogger } from '../../platform/telemetry/log'
import { withRequestContext } from '../../platform/telemetry/request-context'
import type { Saga } from '../../shared-contracts/orders'
import { guarded } from './guarded'
import { createSaga, nextAction, sagaView, TERMINAL, transition, type Outcome, type SagaEvent, type SagaState } from './engine'
import type { SagaHost, SagaInput } from './host'

const STATE_KEY = 'saga'
/** The traceparent of the request that started the saga: steps run from alarms continue its trace. */
const TRACE_KEY = 'traceparent'
/** How long past the step timeout the watchdog alarm waits: if the object dies mid-call, it resumes it. */
const WATCHDOG_GRACE_MS = 5_000
/**
 * A finished saga's storage is deleted this long after it ended (its summary in the host stays,
 * and serves every read): long enough to look into a saga that just went wrong.
 */
export const FINISHED_SAGA_RETENTION_MS = 24 * 60 * 60_000

/** The fault point of one call of one saga (`<step>`, `compensate:<step>` or `finalize`). */
export const sagaFaultPoint = (sagaId: string, call: string) => `saga:${sagaId}:${call}`

/**
 * One saga per id (`idFromName(input.order_id)`), run as its host's definition says. Its state
 * lives in the object's storage and is written before and after every call; alarms drive it, one
 * action per alarm, so an eviction or a restart at any point resumes where the stored state says.
 * The hosting Worker extends it with the host it builds from its env.
 */
export abstract class SagaCoordinatorBase<I extends SagaInput> extends DurableObject<FaultBindings> {
  private readonly host: SagaHost<I>
  private readonly log: (message: string, fields: Record<string, unknown>) => void
  private advancing: Promise<void> | null = null

  constructor(ctx: DurableObjectState, env: FaultBindings, host: SagaHost<I>) {
    super(ctx, env)
    this.host = host
    const logger = createLogger(host.service).with({ component: 'saga-coordinator' })
    this.log = (message, fields) => logger.error(message, fields)
  }

  /**
   * Starts the saga; idempotent: a second start answers the saga as it is. `traceparent` is the
   * caller's span (DO calls carry no headers); the saga's steps become children of this call.
   */
  start(input: I, traceparent?: string): Promise<Saga> {
    const attributes = {
      'rpc.system': 'cloudflare_durable_objects',
      'rpc.service': 'SagaCoordinator',
      'rpc.method': 'start',
      'saga.order_id': input.order_id,
    }
    return withSpan('SagaCoordinator/start', { kind: SpanKind.SERVER, parent: traceparent, attributes }, () => this.startSaga(input))
  }

  private async startSaga(input: I): Promise<Saga> {
    const existing = await this.load()
    if (existing) return sagaView(existing)
    // Storage is gone a while after the end: a late start (a repeated request, the sweep) must
    // not run a finished saga again, and its summary says it finished.
    const finished = await this.host.recorded(input.order_id)
    if (finished && TERMINAL.includes(finished.status)) return finished
    const state = createSaga(
      input.order_id,
      input,
      this.host.steps.map((step) => step.name),
      Date.now(),
    )
    const traceparent = currentTraceparent()
    await this.ctx.storage.put({ [STATE_KEY]: state, ...(traceparent ? { [TRACE_KEY]: traceparent } : {}) })
    await this.ctx.storage.setAlarm(state.next_at)
    // Started either way: the next change writes the summary again.
    await this.host.record(state).catch((error: unknown) => this.log('saga summary not written', { order_id: state.id, error }))
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

  private async load(): Promise<SagaState<I> | null> {
    return (await this.ctx.storage.get<SagaState<I>>(STATE_KEY)) ?? null
  }

  /** Applies an event and stores the result before anything else happens. */
  private async apply(state: SagaState<I>, event: SagaEvent): Promise<SagaState<I>> {
    const next = this.host.scrub(transition(state, event, this.host.policy, { now: Date.now(), random: Math.random() }))
    await this.ctx.storage.put(STATE_KEY, next)
    await this.host.record(next).catch((error: unknown) => this.log('saga summary not written', { order_id: state.id, error }))
    return next
  }

  /** A step's call, in a span that is a child of the request that started the saga. */
  private async call(state: SagaState<I>, name: string, run: () => Promise<Outcome>): Promise<Outcome> {
    const parent = await this.ctx.storage.get<string>(TRACE_KEY)
    const attributes = { 'saga.name': this.host.name, 'saga.step': name, 'saga.order_id': this.ctx.id.name ?? '' }
    return withSpan(`saga ${name}`, { parent, attributes }, async (span) => {
      await this.ctx.storage.setAlarm(Date.now() + this.host.stepTimeoutMs + WATCHDOG_GRACE_MS)
      const outcome = await guarded(() => atFaultPoint(this.env, sagaFaultPoint(state.id, name), run), this.host.stepTimeoutMs)
      span?.setAttribute('saga.outcome', outcome.kind)
      if (outcome.kind !== 'ok') span?.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error })
      return outcome
    })
  }

  /** Does the next action, stores the result, and sets the alarm for the one after. */
  private async advance(): Promise<void> {
    let state = await this.load()
    if (!state) return
    const action = nextAction(state)
    switch (action.kind) {
      case 'done':
        return this.retire(state)
      case 'run': {
        const step = this.host.steps[action.step]!
        state = await this.apply(state, { type: 'step_started', step: action.step })
        if (state.steps[action.step]!.status !== 'running') break
        const input = state.input
        const outcome = await this.call(state, step.name, () => step.run(input))
        state = await this.apply(state, { type: 'step_finished', step: action.step, outcome })
        if (step.publishes && outcome.kind === 'ok') await this.relay()
        break
      }
      case 'compensate': {
        const step = this.host.steps[action.step]!
        state = await this.apply(state, { type: 'compensation_started', step: action.step })
        const input = state.input
        const outcome = await this.call(state, `compensate:${step.name}`, () => step.compensate(input))
        state = await this.apply(state, { type: 'compensation_finished', step: action.step, outcome })
        break
      }
      case 'finalize': {
        state = await this.apply(state, { type: 'finalize_started' })
        const input = state.input
        const outcome = await this.call(state, 'finalize', () => this.host.finalize(input, action.reason))
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
  private async retire(state: SagaState<I>): Promise<void> {
    await this.host.record(state)
    const deleteAt = Date.parse(state.updated_at) + FINISHED_SAGA_RETENTION_MS
    if (Date.now() < deleteAt) {
      await this.ctx.storage.setAlarm(deleteAt)
      return
    }
    await this.ctx.storage.deleteAlarm()
    await this.ctx.storage.deleteAll()
  }

  /** The events a step wrote leave now, not at the next sweep (best effort). */
  private async relay(): Promise<void> {
    // In the saga's trace too (an alarm runs this), beside the step that wrote the events.
    const parent = await this.ctx.storage.get<string>(TRACE_KEY)
    await withSpan('saga relay_events', { parent }, () =>
      this.host.relay().catch((error: unknown) => this.log('outbox relay failed', { error })),
    )
  }
}
