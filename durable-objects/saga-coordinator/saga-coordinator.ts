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
/** How soon a finished saga whose final summary was not written tries again (through `retire`). */
const SUMMARY_RETRY_MS = 1_000
/**
 * A finished saga's storage is deleted this long after it ended (its summary in the host stays,
 * and serves every read): long enough to look into a saga that just went wrong.
 */
export const FINISHED_SAGA_RETENTION_MS = 24 * 60 * 60_000

/** When a finished saga's storage is deleted. */
const retentionEnd = (state: { updated_at: string }) => Date.parse(state.updated_at) + FINISHED_SAGA_RETENTION_MS

/** The fault point of one call of one saga (`<step>`, `compensate:<step>` or `finalize`). */
export const sagaFaultPoint = (sagaId: string, call: string) => `saga:${sagaId}:${call}`

/**
 * One saga per id (`idFromName(input.order_id)`), run as its host's definition says. Its state
 * lives in the object's storage and is written before and after every call. Due actions run one
 * after the other in the invocation that made them due (the start, or an alarm); the alarm is for
 * what has to wait — a retry's backoff, the retention of a finished saga — and, while a call is
 * in flight, a watchdog: an eviction or a restart at any point resumes where the stored state says.
 * The hosting Worker extends it with the host it builds from its env.
 */
export abstract class SagaCoordinatorBase<I extends SagaInput> extends DurableObject<FaultBindings> {
  private readonly host: SagaHost<I>
  private readonly log: (message: string, fields: Record<string, unknown>) => void
  private advancing: Promise<void> | null = null
  /** The stored traceparent, read once per activation (it never changes after the start). */
  private traceparent: Promise<string | undefined> | null = null

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
    // Another start (a retried request, the sweep) may have begun the saga while this one read
    // the summary: its run is under way, and storing a fresh state would overwrite its progress.
    const raced = await this.load()
    if (raced) return sagaView(raced)
    const state = createSaga(
      input.order_id,
      input,
      this.host.steps.map((step) => step.name),
      Date.now(),
    )
    const traceparent = currentTraceparent()
    this.traceparent = Promise.resolve(traceparent)
    await this.ctx.storage.put({ [STATE_KEY]: state, ...(traceparent ? { [TRACE_KEY]: traceparent } : {}) })
    // The first step runs now, below; the alarm is its watchdog, should this object die first.
    await this.ctx.storage.setAlarm(this.watchdogAt())
    // The first step starts at once, beside the summary's write (whose revision keeps the later
    // writes of the run from being overwritten by it); the start answers once the summary is there.
    this.ctx.waitUntil(
      this.drive().catch((error: unknown) => this.log('saga run failed; its watchdog alarm resumes it', { order_id: state.id, error })),
    )
    await this.record(state)
    return sagaView(state)
  }

  /** The saga's public view; null if it was never started. */
  async view(): Promise<Saga | null> {
    const state = await this.load()
    return state ? sagaView(state) : null
  }

  override async alarm(): Promise<void> {
    await this.drive()
  }

  /**
   * Runs the saga on from its stored state: one run at a time, even if the start's run, a manual
   * and a scheduled alarm meet. No request: its log lines carry the id the saga's calls carry
   * (`saga-<order id>`).
   */
  private drive(): Promise<void> {
    const requestId = `saga-${this.ctx.id.name ?? this.ctx.id.toString()}`
    this.advancing ??= withRequestContext({ requestId }, () => this.advance()).finally(() => {
      this.advancing = null
    })
    return this.advancing
  }

  /** When a call that has not answered by then is given up for dead, and the saga resumed. */
  private watchdogAt(): number {
    return Date.now() + this.host.stepTimeoutMs + WATCHDOG_GRACE_MS
  }

  /** Writes the summary, best effort: answers whether it was written (the failure is logged). */
  private async record(state: SagaState<I>): Promise<boolean> {
    try {
      await this.host.record(state)
      return true
    } catch (error) {
      this.log('saga summary not written', { order_id: state.id, error })
      return false
    }
  }

  private async load(): Promise<SagaState<I> | null> {
    return (await this.ctx.storage.get<SagaState<I>>(STATE_KEY)) ?? null
  }

  /**
   * Applies an event and stores the result before anything else happens: one storage write, and
   * with it the alarm if there is one to set — `watchdog` before a call, the time of a retry the
   * transition scheduled, or the end of a finished saga's retention. The summary is written only
   * when someone reading it would see a difference that lasts: the saga's status changed, or it
   * now waits for a retry; passing states (a step running, then succeeded while the next one is
   * due) stay in the object's own view.
   */
  private async apply(state: SagaState<I>, event: SagaEvent, watchdog?: number): Promise<SagaState<I>> {
    const now = Date.now()
    const next = this.host.scrub(transition(state, event, this.host.policy, { now, random: Math.random() }))
    const waiting = next.next_at > now
    const ended = TERMINAL.includes(next.status)
    const alarmAt = watchdog ?? (ended ? retentionEnd(next) : waiting ? next.next_at : undefined)
    // Storage calls only in between: the write and the alarm are committed together.
    await this.ctx.storage.put(STATE_KEY, next)
    if (alarmAt !== undefined) await this.ctx.storage.setAlarm(alarmAt)
    if (next.status !== state.status || waiting) {
      const written = await this.record(next)
      // The final summary must land: the admin list and the sweep read it. If it did not, the
      // alarm comes back soon, and `retire` writes it again (throwing, so alarms retry) before
      // it sets the retention alarm.
      if (!written && ended) await this.ctx.storage.setAlarm(now + SUMMARY_RETRY_MS)
    }
    return next
  }

  /** A step's call, in a span that is a child of the request that started the saga. */
  private async call(state: SagaState<I>, name: string, run: () => Promise<Outcome>): Promise<Outcome> {
    const parent = await this.storedTraceparent()
    const attributes = { 'saga.name': this.host.name, 'saga.step': name, 'saga.order_id': this.ctx.id.name ?? '' }
    return withSpan(`saga ${name}`, { parent, attributes }, async (span) => {
      const outcome = await guarded(() => atFaultPoint(this.env, sagaFaultPoint(state.id, name), run), this.host.stepTimeoutMs)
      span?.setAttribute('saga.outcome', outcome.kind)
      if (outcome.kind !== 'ok') span?.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error })
      return outcome
    })
  }

  private storedTraceparent(): Promise<string | undefined> {
    this.traceparent ??= this.ctx.storage.get<string>(TRACE_KEY)
    return this.traceparent
  }

  /**
   * Does the next action, then every action that is due at once after it, each transition
   * stored before the next call, until the saga ends or has to wait (its alarm then set at the
   * retry's time). The first action runs even if it is not yet due: an alarm that fires early
   * (tests run them at once) follows the stored schedule, which the engine keeps.
   */
  private async advance(): Promise<void> {
    let state = await this.load()
    if (!state) return
    for (;;) {
      if (nextAction(state).kind === 'done') return this.retire(state)
      state = await this.act(state)
      // Ended or waiting: the transition stored its summary and set the alarm that comes back.
      if (TERMINAL.includes(state.status) || state.next_at > Date.now()) return
    }
  }

  /** One action: its start stored with the watchdog alarm, its call, its outcome stored. */
  private async act(before: SagaState<I>): Promise<SagaState<I>> {
    let state = before
    const action = nextAction(state)
    switch (action.kind) {
      case 'done':
        return state
      case 'run': {
        const step = this.host.steps[action.step]!
        state = await this.apply(state, { type: 'step_started', step: action.step }, this.watchdogAt())
        if (state.steps[action.step]!.status !== 'running') return state
        const input = state.input
        const outcome = await this.call(state, step.name, () => step.run(input))
        state = await this.apply(state, { type: 'step_finished', step: action.step, outcome })
        if (step.publishes && outcome.kind === 'ok') await this.relay()
        return state
      }
      case 'compensate': {
        const step = this.host.steps[action.step]!
        state = await this.apply(state, { type: 'compensation_started', step: action.step }, this.watchdogAt())
        const input = state.input
        const outcome = await this.call(state, `compensate:${step.name}`, () => step.compensate(input))
        return this.apply(state, { type: 'compensation_finished', step: action.step, outcome })
      }
      case 'finalize': {
        state = await this.apply(state, { type: 'finalize_started' }, this.watchdogAt())
        const input = state.input
        const outcome = await this.call(state, 'finalize', () => this.host.finalize(input, action.reason))
        state = await this.apply(state, { type: 'finalized', outcome })
        if (outcome.kind === 'ok') await this.relay()
        return state
      }
    }
  }

  /**
   * A finished saga's alarm (or a replayed one): its summary written again (the one written when
   * it ended was best effort), then its storage deleted FINISHED_SAGA_RETENTION_MS after it
   * ended (the alarm comes back then).
   */
  private async retire(state: SagaState<I>): Promise<void> {
    await this.host.record(state)
    const deleteAt = retentionEnd(state)
    if (Date.now() < deleteAt) {
      await this.ctx.storage.setAlarm(deleteAt)
      return
    }
    await this.ctx.storage.deleteAlarm()
    await this.ctx.storage.deleteAll()
  }

  /** The events a step wrote leave now, not at the next sweep (best effort). */
  private async relay(): Promise<void> {
    // In the saga's trace too (an alarm may run this), beside the step that wrote the events.
    const parent = await this.storedTraceparent()
    await withSpan('saga relay_events', { parent }, () =>
      this.host.relay().catch((error: unknown) => this.log('outbox relay failed', { error })),
    )
  }
}
