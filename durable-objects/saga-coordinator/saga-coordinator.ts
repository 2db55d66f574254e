import { DurableObject } from 'cloudflare:workers'
import { atFaultPoint } from '../../platform/faults/fault-points'
import type { FaultBindings } from '../../platform/faults/faults'
import { currentTraceparent, SpanKind, SpanStatusCode, withSpan } from '../../platform/telemetry/trace-context'
import { createLogger } from '../../platform/telemetry/log'
import { withRequestContext } from '../../platform/telemetry/request-context'
import type { Saga } from '../../shared-contracts/orders'
import { guarded } from './guarded'
import { actionCall, finishedEvent, settlingOffer, startedEvent, type Due, type SettlingOffer } from './actions'
import { createSaga, nextAction, sagaView, TERMINAL, transition, type Action, type Outcome, type SagaEvent, type SagaState } from './engine'
import type { SagaHost, SagaInput, Settling, StartOptions } from './host'
import { retentionEnd, storePlan } from './store-plan'
import { WRITER_LEASE_MS, type WrittenRow } from '../../platform/events/written-events'

export { FINISHED_SAGA_RETENTION_MS } from './store-plan'

const STATE_KEY = 'saga'
/** The traceparent of the request that started the saga: steps run from alarms continue its trace. */
const TRACE_KEY = 'traceparent'
/** How long past the step timeout the watchdog alarm waits: if the object dies mid-call, it resumes it. */
const WATCHDOG_GRACE_MS = 5_000
/** How soon a finished saga whose final summary was not written tries again (through `retire`). */
const SUMMARY_RETRY_MS = 1_000
/** The fault point of one call of one saga (`<step>`, `compensate:<step>` or `finalize`). */
export const sagaFaultPoint = (sagaId: string, call: string) => `saga:${sagaId}:${call}`

/**
 * One saga per id (`idFromName(input.order_id)`), run as its host's definition says. Its state
 * lives in the object's storage and is written before every call (with the outcome of the call
 * before it), and when the saga waits or ends. Due actions run one
 * after the other in the invocation that made them due (the start, or an alarm); the alarm is for
 * what has to wait — a retry's backoff, the retention of a finished saga — and, while a call is
 * in flight, a watchdog: an eviction or a restart at any point resumes where the stored state says.
 * The hosting Worker extends it with the host it builds from its env.
 */
export abstract class SagaCoordinatorBase<I extends SagaInput> extends DurableObject<FaultBindings> {
  private readonly host: SagaHost<I>
  private readonly log: (message: string, fields: Record<string, unknown>) => void
  private advancing: Promise<void> | null = null
  /** The alarm this activation set, until it fires: whether a call's watchdog is armed already. */
  private armedAt: number | null = null
  /**
   * Outbox rows a start was handed (`StartOptions.events`), until the run's first relay sends
   * them; in memory only: if the object goes first, the sweep sends them once their claim lapses.
   */
  private readonly handed: WrittenRow[] = []
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
  start(input: I, traceparent?: string, options: StartOptions = {}): Promise<Saga> {
    const attributes = {
      'rpc.system': 'cloudflare_durable_objects',
      'rpc.service': 'SagaCoordinator',
      'rpc.method': 'start',
      'saga.order_id': input.order_id,
    }
    this.handed.push(...(options.events ?? []))
    return withSpan('SagaCoordinator/start', { kind: SpanKind.SERVER, parent: traceparent, attributes }, async () => {
      const saga = await this.startSaga(input, options.fresh === true)
      // A start that did not begin the run (it was under way, or over): what it was handed leaves now.
      if (this.handed.length > 0 && !this.advancing) this.ctx.waitUntil(this.relay(input))
      return saga
    })
  }

  private async startSaga(input: I, fresh: boolean): Promise<Saga> {
    const existing = await this.load()
    if (existing) return sagaView(existing)
    if (!fresh) {
      // Storage is gone a while after the end: a late start (a repeated request, the sweep) must
      // not run a finished saga again, and its summary says it finished.
      const finished = await this.host.recorded(input)
      if (finished && TERMINAL.includes(finished.status)) return finished
      // Another start (a retried request, the sweep) may have begun the saga while this one read
      // the summary: its run is under way, and storing a fresh state would overwrite its progress.
      const raced = await this.load()
      if (raced) return sagaView(raced)
    }
    const created = createSaga(
      input.order_id,
      input,
      this.host.steps.map((step) => step.name),
      Date.now(),
    )
    const traceparent = currentTraceparent()
    this.traceparent = Promise.resolve(traceparent)
    // The saga is stored with its first step already started, and that step's watchdog alarm:
    // one write; the step's call follows at once, below, after the start has answered.
    const first = this.next(created, startedEvent(nextAction(created)))
    await this.store(created, first, this.watchdogAt(), traceparent ? { [TRACE_KEY]: traceparent } : {})
    this.ctx.waitUntil(
      this.drive(first).catch((error: unknown) =>
        this.log('saga run failed; its watchdog alarm resumes it', { order_id: first.id, error }),
      ),
    )
    // A saga started by the sweep (or a replayed request) records its start: its summary then
    // holds no input, and the sweep stops starting it. Beside the first call; the summary's
    // revision keeps the run's later writes from being overwritten by it.
    if (!fresh) await this.record(first)
    return sagaView(first)
  }

  /** The saga's public view; null if it was never started. */
  async view(): Promise<Saga | null> {
    const state = await this.load()
    return state ? sagaView(state) : null
  }

  override async alarm(): Promise<void> {
    // The alarm that fired is spent: the next call sets a watchdog again.
    this.armedAt = null
    await this.drive()
  }

  /**
   * Runs the saga on: from `begun` (a state just stored with its action started: the start's
   * first step), else from its stored state. One run at a time, even if the start's run, a manual
   * and a scheduled alarm meet. No request: its log lines carry the id the saga's calls carry
   * (`saga-<order id>`).
   */
  private drive(begun?: SagaState<I>): Promise<void> {
    const requestId = `saga-${this.ctx.id.name ?? this.ctx.id.toString()}`
    this.advancing ??= withRequestContext({ requestId }, () => this.advance(begun)).finally(() => {
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

  /** The state after `event`, scrubbed as the host says: not stored yet. */
  private next(state: SagaState<I>, event: SagaEvent): SagaState<I> {
    return this.host.scrub(transition(state, event, this.host.policy, { now: Date.now(), random: Math.random() }))
  }

  /**
   * Stores `next` (the stored state was `stored`) before anything else happens: one storage
   * write, and with it the alarm and the summary that `storePlan` says go with it (./store-plan.ts),
   * unless the call before wrote that summary already (`summarized`).
   */
  private async store(
    stored: SagaState<I>,
    next: SagaState<I>,
    watchdog?: number,
    also: Record<string, unknown> = {},
    summarized = false,
  ): Promise<SagaState<I>> {
    const now = Date.now()
    const { alarmAt, record, ended } = storePlan(stored, next, {
      now,
      watchdog,
      armedAt: this.armedAt,
      stepTimeoutMs: this.host.stepTimeoutMs,
    })
    // Storage calls only in between: the write and the alarm are committed together.
    await this.ctx.storage.put({ [STATE_KEY]: next, ...also })
    if (alarmAt !== undefined) await this.arm(alarmAt)
    // `summarized`: the call that led here wrote this state's summary with its own effect.
    if (record && !summarized) {
      const written = await this.record(next)
      // The final summary must land: the admin list and the sweep read it. If it did not, the
      // alarm comes back soon, and `retire` writes it again (throwing, so alarms retry) before
      // it sets the retention alarm.
      if (!written && ended) await this.arm(now + SUMMARY_RETRY_MS)
    }
    return next
  }

  private async arm(at: number): Promise<void> {
    await this.ctx.storage.setAlarm(at)
    this.armedAt = at
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
   * Does the next action, then every action that is due at once after it, until the saga ends or
   * has to wait (its alarm then set at the retry's time). Each action's start is stored before its
   * call, together with the outcome of the call before it: a state that only passes (a step
   * succeeded, the next not started yet) is never stored on its own, and an object that dies
   * between two stored states resumes from the first with the same step and key. The first
   * action runs even if it is not yet due: an alarm that fires early (tests run them at once)
   * follows the stored schedule, which the engine keeps.
   */
  private async advance(begun?: SagaState<I>): Promise<void> {
    let state: SagaState<I> | null = begun ?? (await this.load())
    if (!state) return
    if (nextAction(state).kind === 'done') return this.retire(state)
    let stored = state
    // `begun`'s action is started and stored already: it is called straight away.
    let started = begun !== undefined
    for (;;) {
      const action: Action = nextAction(state)
      if (action.kind === 'done') return
      if (!started) {
        state = this.next(state, startedEvent(action))
        // A step whose last attempt never answered and whose budget is spent failed: compensate.
        if (action.kind === 'run' && state.steps[action.step]!.status !== 'running') continue
        stored = await this.store(stored, state, this.watchdogAt())
      }
      started = false
      // Handed rows must leave before their writer's claim lapses, however long the run's calls take.
      if (this.handedAging()) await this.relay(state.input)
      const settling: SettlingOffer<I> | undefined = settlingOffer(state, action, (from, event) => this.next(from, event))
      const outcome = await this.invoke(state, action, settling?.offer)
      // The host wrote the summary of the state it was offered, with its effect: that state it is.
      const summarized: SagaState<I> | undefined = outcome.kind === 'ok' && outcome.recorded === true ? settling?.taken() : undefined
      state = summarized ?? this.next(state, finishedEvent(action, outcome))
      const publishes =
        outcome.kind === 'ok' && (action.kind === 'finalize' || (action.kind === 'run' && this.host.steps[action.step]!.publishes))
      // Ended or waiting: stored now, with its summary and the alarm that comes back.
      const settled = TERMINAL.includes(state.status) || state.next_at > Date.now()
      if (settled) stored = await this.store(stored, state, undefined, {}, summarized !== undefined)
      if (publishes || (settled && this.handed.length > 0)) await this.relay(state.input)
      if (settled) return
    }
  }

  /**
   * Whether a handed row is old enough that the next call (at most the step timeout, and the
   * watchdog's grace) could outlast its writer's claim: the sweep would then send it too.
   */
  private handedAging(): boolean {
    const limit = WRITER_LEASE_MS - this.host.stepTimeoutMs - WATCHDOG_GRACE_MS
    return this.handed.some((row) => Date.now() - Date.parse(row.created_at) > limit)
  }

  /** The call an action makes, in its span. */
  private invoke(state: SagaState<I>, action: Due, settling?: Settling<I>): Promise<Outcome> {
    const { name, run } = actionCall(this.host, action, state.input, settling)
    return this.call(state, name, run)
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
      await this.arm(deleteAt)
      return
    }
    this.armedAt = null
    await this.ctx.storage.deleteAlarm()
    await this.ctx.storage.deleteAll()
  }

  /** The events a step wrote, and those the start was handed, leave now, not at the next sweep (best effort). */
  private async relay(input: I): Promise<void> {
    // In the saga's trace too (an alarm may run this), beside the step that wrote the events.
    const parent = await this.storedTraceparent()
    const handed = this.handed.splice(0)
    await withSpan('saga relay_events', { parent }, () =>
      this.host.relay(input, handed).catch((error: unknown) => this.log('outbox relay failed', { error })),
    )
  }
}
