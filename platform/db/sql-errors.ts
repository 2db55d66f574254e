// SQLite constraint failures as D1 reports them, recognised in one place for every repository.

/** The text of an error and its causes: D1 errors arrive bare from a batch, wrapped by drizzle elsewhere. */
function describe(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    parts.push(current instanceof Error ? current.message : String(current))
    current = current instanceof Error ? current.cause : undefined
  }
  return parts.join(' | ')
}

/** A UNIQUE (or primary key) constraint refused a row: usually "already there". */
export function isUniqueViolation(error: unknown): boolean {
  return describe(error).includes('UNIQUE constraint failed')
}

/** A CHECK constraint refused a row (for stock, the invariant `0 <= reserved <= on_hand`). */
export function isCheckViolation(error: unknown): boolean {
  return describe(error).includes('CHECK constraint failed')
}

/** A NOT NULL constraint refused a row: e.g. an INSERT … SELECT whose source row was missing. */
export function isNotNullViolation(error: unknown): boolean {
  return describe(error).includes('NOT NULL constraint failed')
}
