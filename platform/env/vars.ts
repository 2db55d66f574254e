/**
 * Reads a var that must be a positive whole number; absent or empty, `fallback`. Anything else
 * throws, naming the var, so a bad configuration stops the Worker where it is read (at start-up
 * or on the first request), never silently runs with a default.
 */
export function positiveIntVar(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const parsed = Number(value)
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`)
  return parsed
}
