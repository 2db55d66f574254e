import { context, ROOT_CONTEXT, trace, type Context, type ContextManager } from '@opentelemetry/api'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger, type LogLevel } from './log'
import { withRequestContext } from './request-context'

function capture() {
  const lines: { level: LogLevel; entry: Record<string, unknown> }[] = []
  const log = createLogger('orders', {
    sink: (level, line) => lines.push({ level, entry: JSON.parse(line) }),
    now: () => new Date('2026-01-02T03:04:05.000Z'),
  })
  return { log, lines }
}

/** Enough of a context manager for synchronous code: what the tracing instrumentation registers in a Worker. */
class StackContextManager implements ContextManager {
  private stack: Context[] = []
  active = () => this.stack.at(-1) ?? ROOT_CONTEXT
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.stack.push(ctx)
    try {
      return fn.call(thisArg, ...args)
    } finally {
      this.stack.pop()
    }
  }
  bind<T>(_ctx: Context, target: T): T {
    return target
  }
  enable = () => this
  disable = () => this
}

describe('createLogger', () => {
  afterEach(() => context.disable())

  it('writes one JSON line with time, level, service, message and the fields', () => {
    const { log, lines } = capture()
    log.info('order placed', { order_id: 'o1', total_cents: 500 })
    log.warn('slow', {})
    log.error('failed')
    expect(lines.map(({ level }) => level)).toEqual(['info', 'warn', 'error'])
    expect(lines[0]!.entry).toEqual({
      time: '2026-01-02T03:04:05.000Z',
      level: 'info',
      service: 'orders',
      message: 'order placed',
      order_id: 'o1',
      total_cents: 500,
    })
    expect(lines[0]!.entry).not.toHaveProperty('trace_id')
    expect(lines[0]!.entry).not.toHaveProperty('request_id')
  })

  it('carries the request id of the work in progress, across awaits, without it being passed', async () => {
    const { log, lines } = capture()
    await withRequestContext({ requestId: 'req-12345678' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      log.info('inside')
    })
    log.info('outside')
    expect(lines[0]!.entry.request_id).toBe('req-12345678')
    expect(lines[1]!.entry).not.toHaveProperty('request_id')
  })

  it('carries the active span’s trace and span ids', () => {
    context.setGlobalContextManager(new StackContextManager())
    const { log, lines } = capture()
    const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 })
    context.with(trace.setSpan(context.active(), span), () => log.info('traced'))
    expect(lines[0]!.entry).toMatchObject({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' })
  })

  it('redacts secret fields and secret-shaped text, and fields never override the envelope', () => {
    const { log, lines } = capture()
    log
      .with({ component: 'auth' })
      .error('login failed for Bearer abc.def', { password: 'hunter2hunter2', body: { token: 't' }, level: 'info', service: 'x' })
    const text = JSON.stringify(lines)
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('abc.def')
    expect(lines[0]!.entry).toMatchObject({
      level: 'error',
      service: 'orders',
      component: 'auth',
      password: '[REDACTED]',
      body: { token: '[REDACTED]' },
    })
  })

  it('writes bound fields first, a field overriding a bound one in its place, and leaves out undefined values', () => {
    const { log, lines } = capture()
    log
      .with({ component: 'breaker', downstream: 'users', api_key: 'k-123' })
      .info('state', { extra: 1, downstream: 'orders', gone: undefined, secret: undefined })
    log.info('plain', { route: '/x', nested: { authorization: 'Basic abc', note: 'Bearer xyz' } })
    expect(Object.keys(lines[0]!.entry)).toEqual([
      'time',
      'level',
      'service',
      'message',
      'component',
      'downstream',
      'api_key',
      'extra',
      'secret',
    ])
    expect(lines[0]!.entry).toMatchObject({ downstream: 'orders', api_key: '[REDACTED]', secret: '[REDACTED]' })
    expect(lines[1]!.entry).toMatchObject({ route: '/x', nested: { authorization: '[REDACTED]', note: 'Bearer [REDACTED]' } })
  })
})
