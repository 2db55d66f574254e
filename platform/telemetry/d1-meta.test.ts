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
