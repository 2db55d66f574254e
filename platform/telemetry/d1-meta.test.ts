// withD1Meta against a real D1 database (the users project's): with tracing on, `first()` runs as
// `all()` so that D1's row counts reach the span, and must answer exactly what `first()` answers.
import { env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { withD1Meta } from './d1-meta'

const plain = env as unknown as { DB: D1Database; ENVIRONMENT: string }
const traced = withD1Meta(plain)

beforeAll(async () => {
  await plain.DB.batch([
    plain.DB.prepare('CREATE TABLE IF NOT EXISTS d1_meta_probe (id INTEGER PRIMARY KEY, label TEXT)'),
    plain.DB.prepare("INSERT OR REPLACE INTO d1_meta_probe (id, label) VALUES (1, 'one'), (2, 'two')"),
  ])
})

const both = async <T>(read: (db: D1Database) => Promise<T>) => [await read(traced.DB), await read(plain.DB)]

describe('first() through withD1Meta', () => {
  it('answers the first row, as first() does', async () => {
    const [wrapped, real] = await both((db) => db.prepare('SELECT id, label FROM d1_meta_probe ORDER BY id').first())
    expect(wrapped).toEqual({ id: 1, label: 'one' })
    expect(wrapped).toEqual(real)
  })

  it('answers one column of it, with bound parameters', async () => {
    const [wrapped, real] = await both((db) => db.prepare('SELECT label FROM d1_meta_probe WHERE id = ?1').bind(2).first('label'))
    expect(wrapped).toBe('two')
    expect(wrapped).toBe(real)
  })

  it('answers null when no row matches', async () => {
    const [wrapped, real] = await both((db) => db.prepare('SELECT id FROM d1_meta_probe WHERE id = ?1').bind(99).first())
    expect(wrapped).toBeNull()
    expect(real).toBeNull()
  })

  it('refuses a column the row does not have, as D1 does', async () => {
    const read = (db: D1Database) => db.prepare('SELECT id FROM d1_meta_probe WHERE id = 1').first('nope')
    await expect(read(plain.DB)).rejects.toThrow(/D1_COLUMN_NOTFOUND/)
    await expect(read(traced.DB)).rejects.toThrow(/D1_COLUMN_NOTFOUND/)
  })

  it('leaves all(), run() and batch() and every other binding as they are', async () => {
    const { results, meta } = await traced.DB.prepare('SELECT id FROM d1_meta_probe ORDER BY id').all()
    expect(results).toEqual([{ id: 1 }, { id: 2 }])
    expect(meta.rows_read).toBeGreaterThan(0)
    expect(traced.ENVIRONMENT).toBe(plain.ENVIRONMENT)
    expect(withD1Meta(plain)).toBe(traced)
    expect(traced.DB).toBe(traced.DB)
  })
})

describe('a session (withSession) through withD1Meta', () => {
  const sessions = async <T>(read: (session: D1DatabaseSession) => Promise<T>) => [
    await read(traced.DB.withSession('first-unconstrained')),
    await read(plain.DB.withSession('first-unconstrained')),
  ]

  it('answers first(), first(column), all() and raw() as the bare session does', async () => {
    const query = (session: D1DatabaseSession) => session.prepare('SELECT id, label FROM d1_meta_probe WHERE id >= ?1 ORDER BY id').bind(1)
    const [wrapped, real] = await sessions(async (session) => ({
      first: await query(session).first(),
      label: await query(session).first('label'),
      all: (await query(session).all()).results,
      raw: await query(session).raw(),
    }))
    expect(wrapped).toEqual({
      first: { id: 1, label: 'one' },
      label: 'one',
      all: [
        { id: 1, label: 'one' },
        { id: 2, label: 'two' },
      ],
      raw: [
        [1, 'one'],
        [2, 'two'],
      ],
    })
    expect(wrapped).toEqual(real)
  })

  it('sends a batch of its own statements, and writes through run()', async () => {
    const session = traced.DB.withSession('first-primary')
    const written = await session.prepare("INSERT OR REPLACE INTO d1_meta_probe (id, label) VALUES (3, 'three')").run()
    expect(written.meta.changes).toBe(1)
    const [count, rows] = await session.batch<{ n?: number; label?: string }>([
      session.prepare('SELECT COUNT(*) AS n FROM d1_meta_probe'),
      session.prepare('SELECT label FROM d1_meta_probe WHERE id = ?1').bind(3),
    ])
    expect(count!.results).toEqual([{ n: 3 }])
    expect(rows!.results).toEqual([{ label: 'three' }])
    expect(await plain.DB.prepare('SELECT label FROM d1_meta_probe WHERE id = 3').first('label')).toBe('three')
    await plain.DB.prepare('DELETE FROM d1_meta_probe WHERE id = 3').run()
  })

  it('refuses a missing column, and hands back the bookmark the session holds', async () => {
    const session = traced.DB.withSession('first-unconstrained')
    await expect(session.prepare('SELECT id FROM d1_meta_probe WHERE id = 1').first('nope')).rejects.toThrow(/D1_COLUMN_NOTFOUND/)
    await session.prepare('SELECT id FROM d1_meta_probe').all()
    expect(session.getBookmark()).toEqual(expect.any(String))
  })
})
