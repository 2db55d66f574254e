import { z } from 'zod'

// The one home of var parsing: the pieces a Worker's config schema (./config.ts) is made of. A var
// arrives as text (or not at all); blank text counts as unset, so an empty `KEY=""` in a
// wrangler.toml or .dev.vars means "the default". Every piece names what it wants in its message;
// the var's name is added by the config that uses it.

/** What a var holds before parsing: text, or nothing. */
export type VarSchema<T> = z.ZodType<T, string | undefined>

const present = (raw: string | undefined): string | undefined => {
  const value = raw?.trim()
  return value === undefined || value === '' ? undefined : value
}

/** What a parser returns for text it refuses: the reason, as in "must be a whole number". */
class Refused {
  constructor(readonly problem: string) {}
}
const refuse = (problem: string) => new Refused(problem)

/** A var read by `parse`; unset or blank gives `fallback` (omit it for a required var). */
function varOf<T>(parse: (value: string) => T | Refused, fallback?: () => T): VarSchema<T> {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      const value = present(raw)
      if (value === undefined) {
        if (fallback) return fallback()
        ctx.issues.push({ code: 'custom', message: 'is required', input: raw })
        return z.NEVER
      }
      const parsed = parse(value)
      if (parsed instanceof Refused) {
        ctx.issues.push({ code: 'custom', message: parsed.problem, input: raw })
        return z.NEVER
      }
      return parsed
    }) as unknown as VarSchema<T>
}

/** A var's text as a positive whole number: `undefined` when absent or empty, `null` when it is not one. */
export function parsePositiveInt(value: string | undefined): number | undefined | null {
  const text = present(value)
  if (text === undefined) return undefined
  const parsed = Number(text)
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : null
}

/** A whole number of at least `min` (1 unless given); unset, `fallback`. */
export function intVar(fallback: number, { min = 1 }: { min?: number } = {}): VarSchema<number> {
  return varOf(
    (text) => {
      const value = Number(text)
      return Number.isSafeInteger(value) && value >= min ? value : refuse(`must be a whole number of at least ${min}`)
    },
    () => fallback,
  )
}

/** A duration in milliseconds: a positive whole number; unset, `fallbackMs`. */
export const durationMsVar = (fallbackMs: number): VarSchema<number> => intVar(fallbackMs)

/** A positive number (fractions allowed, e.g. a retry base of 0.5 s); unset, `fallback`. */
export function positiveNumberVar(fallback: number): VarSchema<number> {
  return varOf(
    (text) => {
      const value = Number(text)
      return Number.isFinite(value) && value > 0 ? value : refuse('must be a positive number')
    },
    () => fallback,
  )
}

/** A fraction from 0 to 1 (a sampling rate); unset, `fallback`. */
export function fractionVar(fallback: number): VarSchema<number> {
  return varOf(
    (text) => {
      const value = Number(text)
      return Number.isFinite(value) && value >= 0 && value <= 1 ? value : refuse('must be a number from 0 to 1')
    },
    () => fallback,
  )
}

/** One of `values`, exactly; unset, `fallback` (omit it for a required var). */
export function oneOfVar<const T extends string>(values: readonly T[], fallback?: T): VarSchema<T> {
  return varOf(
    (text) => ((values as readonly string[]).includes(text) ? (text as T) : refuse(`must be one of ${values.join(', ')}`)),
    fallback === undefined ? undefined : () => fallback,
  )
}

/** `on` or `off` as a boolean (true: on); unset, `fallback`. */
export function onOffVar(fallback: 'on' | 'off'): VarSchema<boolean> {
  return oneOfVar(['on', 'off'], fallback).transform((value) => value === 'on') as unknown as VarSchema<boolean>
}

/** Text that must be set (an issuer, an audience, a provider's name). */
export const requiredTextVar = (): VarSchema<string> => varOf((text) => text)

/** Text that may be absent (`undefined` then): a secret some deployments do not have. */
export const optionalTextVar = (): VarSchema<string | undefined> =>
  varOf<string | undefined>(
    (text) => text,
    () => undefined,
  )

/** A comma-separated list, its items trimmed and blanks dropped; unset, empty. */
export const listVar = (): VarSchema<string[]> =>
  varOf(
    (text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    () => [],
  )
