// Parsing of Worker vars: the one place a var's text becomes a number.

/** A var's text as a positive whole number: `undefined` when absent or empty, `null` when it is not one. */
export function parsePositiveInt(value: string | undefined): number | undefined | null {
  if (value === undefined || value === '') return undefined
  const parsed = Number(value)
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : null
}

/**
 * Reads a var that must be a positive whole number; absent or empty, `fallback`. Anything else
 * throws, naming the var, so a bad configuration stops the Worker where it is read (at start-up
 * or on the first request), never silently runs with a default.
 */
export function positiveIntVar(name: string, value: string | undefined, fallback: number): number {
  const parsed = parsePositiveInt(value)
  if (parsed === null) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`)
  return parsed ?? fallback
}
