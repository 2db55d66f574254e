// What the running system has stored, read straight from its local state folder: every row of
// every SQLite database there (each service's D1, each Durable Object's storage), read-only.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { inject } from 'vitest'

function sqliteFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return sqliteFiles(path)
    return entry.name.endsWith('.sqlite') ? [path] : []
  })
}

/** The files whose rows contain any of `needles` (case-insensitive), with the tables that do. */
export function storedHolders(needles: string[]): string[] {
  const wanted = needles.map((needle) => needle.toLowerCase())
  const holders: string[] = []
  for (const file of sqliteFiles(inject('persistDir'))) {
    const db = new DatabaseSync(file, { readOnly: true })
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
        name: string
      }[]
      for (const { name } of tables) {
        // Durable Objects store some integers beyond 2^53: read them as bigints, write them as text.
        const statement = db.prepare(`SELECT * FROM "${name}"`)
        statement.setReadBigInts(true)
        const rows = JSON.stringify(statement.all(), (_key, value: unknown) =>
          typeof value === 'bigint' ? value.toString() : value,
        ).toLowerCase()
        if (wanted.some((needle) => rows.includes(needle))) holders.push(`${file}: ${name}`)
      }
    } finally {
      db.close()
    }
  }
  return holders
}
