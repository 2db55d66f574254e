import type { Context } from 'hono'
import type { z } from 'zod'
import { fail, ok, type FieldError, type Result } from '../../shared-contracts/errors'

/** Turns zod issues into the `errors` list of a problem: one entry per field. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.join('.') : issue.code === 'unrecognized_keys' ? issue.keys.join(',') : '',
    message: issue.message,
  }))
}

/** Validates data against a contract schema; a failure is a 400 `validation_failed` value. */
export function validate<S extends z.ZodType>(schema: S, data: unknown): Result<z.output<S>> {
  const parsed = schema.safeParse(data)
  if (parsed.success) return ok(parsed.data)
  return fail({ code: 'validation_failed', errors: fieldErrors(parsed.error) })
}

/** Reads and validates a JSON body. Malformed JSON is `malformed_json`, never a 500. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<Result<z.output<S>>> {
  let data: unknown
  try {
    data = JSON.parse(await c.req.text())
  } catch {
    return fail({ code: 'malformed_json', detail: 'The body could not be parsed as JSON.' })
  }
  return validate(schema, data)
}
