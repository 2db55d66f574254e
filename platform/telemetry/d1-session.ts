import type { Span } from '@opentelemetry/api'
import { SpanKind, withSpan } from './trace-context'

// A D1 session (`withSession`, the API that lets D1 answer from a read replica) traced like the
// database itself. The tracing library instruments a D1 binding's `prepare`, `exec` and `batch`,
// but hands `withSession`'s session back bare: queries through it would leave no span, and so
// would drop out of the traces and out of every count taken from them. These spans carry the
// names and attributes the library gives a binding's queries (`DB all`, `DB batch > query`), so
// readers of the traces see one kind of D1 span either way.

const DB_SYSTEM = 'Cloudflare D1'

const queryAttributes = (dbName: string, operation: string, sql: string) => ({
  binding_type: 'D1',
  'db.name': dbName,
  'db.system': DB_SYSTEM,
  'db.operation': operation,
  'db.statement': sql,
})

function recordMeta(span: Span | undefined, meta: D1Meta | undefined): void {
  if (!span || !meta) return
  span.setAttributes({
    'db.cf.d1.rows_read': meta.rows_read,
    'db.cf.d1.rows_written': meta.rows_written,
    'db.cf.d1.duration': meta.duration,
    'db.cf.d1.changes': meta.changes,
    'db.cf.d1.served_by_primary': meta.served_by_primary ?? true,
  })
}

/** What `first(column)` answers, from the first row of `all()`: a traced `first()` answers what `first()` does. */
export function firstOf(row: Record<string, unknown> | undefined, column?: string): unknown {
  if (row === undefined) return null
  if (column === undefined) return row
  if (!(column in row)) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`)
  return row[column]
}

type Traced = (operation: string, run: (span: Span | undefined) => Promise<unknown>) => Promise<unknown>

/** What a traced statement wraps: a batch is sent the session's own statements. */
const underlying = new WeakMap<object, { stmt: D1PreparedStatement; sql: string }>()

function statement(stmt: D1PreparedStatement, sql: string, traced: Traced): D1PreparedStatement {
  const withMeta = (operation: 'all' | 'run') => () =>
    traced(operation, async (span) => {
      const result = await stmt[operation]()
      recordMeta(span, result.meta)
      return result
    })
  const wrapper = {
    bind: (...values: unknown[]) => statement(stmt.bind(...values), sql, traced),
    all: withMeta('all'),
    run: withMeta('run'),
    // `first()` as `all()`, as for the binding itself (d1-meta.ts): the rows read reach the span.
    first: (column?: string) =>
      traced('all', async (span) => {
        const result = await stmt.all<Record<string, unknown>>()
        recordMeta(span, result.meta)
        return firstOf(result.results[0], column)
      }),
    raw: (options?: { columnNames?: boolean }) => traced('raw', () => stmt.raw(options as { columnNames: true })),
  }
  underlying.set(wrapper, { stmt, sql })
  return wrapper as unknown as D1PreparedStatement
}

const BATCH_ATTRIBUTES = { binding_type: 'D1', 'db.system': DB_SYSTEM }

/** `session`, each query a CLIENT span named and attributed as the tracing library names a binding's. */
export function tracedSession(session: D1DatabaseSession, dbName: string): D1DatabaseSession {
  const spanFor =
    (sql: string): Traced =>
    (operation, run) =>
      withSpan(`${dbName} ${operation}`, { kind: SpanKind.CLIENT, attributes: queryAttributes(dbName, operation, sql) }, run)
  return {
    prepare: (sql: string) => statement(session.prepare(sql), sql, spanFor(sql)),
    batch: <T>(statements: D1PreparedStatement[]) =>
      withSpan(`${dbName} batch`, { kind: SpanKind.CLIENT, attributes: { ...BATCH_ATTRIBUTES, 'db.name': dbName } }, async () => {
        const sent = statements.map((each) => underlying.get(each) ?? { stmt: each, sql: '' })
        const results = await session.batch<T>(sent.map(({ stmt }) => stmt))
        // One span per statement, carrying its meta, as the library gives a binding's batch.
        results.forEach((result, index) => {
          const attributes = queryAttributes(dbName, 'batch', sent[index]!.sql)
          withSpan(`${dbName} batch > query`, { kind: SpanKind.CLIENT, attributes }, (span) => recordMeta(span, result.meta))
        })
        return results
      }),
    getBookmark: () => session.getBookmark(),
  } as D1DatabaseSession
}
