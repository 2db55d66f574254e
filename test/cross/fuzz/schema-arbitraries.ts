// fast-check arbitraries from the JSON Schemas of the OpenAPI document: values the schema
// allows ("valid-ish": within its types and bounds) and values meant to break the code that
// reads them (wrong types, limits, huge and odd strings, prototype keys, deep nesting).
import fc from 'fast-check'
import type { JsonSchema } from '../../../shared-contracts/openapi-types'

type Schema = JsonSchema & {
  $ref?: string
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  format?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  items?: Schema
  minItems?: number
  maxItems?: number
  properties?: Record<string, Schema>
  required?: string[]
}

/** Keys that reach a prototype when code copies objects carelessly. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype']

/** Numbers at the edges: JSON can carry them all. */
export const EDGE_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
]

/** Strings that look like something else, or are simply too much. */
export const ODD_STRINGS = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e309',
  '0x10',
  '-0',
  ' 1 ',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '\u0000',
  '\u202e\u0041',
  '💥'.repeat(64),
  'é'.normalize('NFD'),
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '$' + '{jndi:x}',
  'x'.repeat(10_000),
  'ü'.repeat(100_000),
]

const deepArray = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown
const deepObject = (depth: number): unknown => (depth === 0 ? {} : { a: deepObject(depth - 1) })

/** Values of every JSON type, including the awkward ones. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, [], {}, deepArray(2_000), deepObject(200), ...EDGE_NUMBERS, ...ODD_STRINGS),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom(...PROTOTYPE_KEYS), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
)

export function createSchemaArbitraries(components: Record<string, JsonSchema>) {
  const resolve = (schema: Schema): Schema => (schema.$ref ? resolve(components[schema.$ref.split('/').pop()!] as Schema) : schema)

  function validish(input: Schema, depth = 0): fc.Arbitrary<unknown> {
    const schema = resolve(input)
    if ('const' in schema) return fc.constant(schema.const)
    if (schema.enum) return fc.constantFrom(...schema.enum)
    const alternatives = schema.anyOf ?? schema.oneOf
    if (alternatives) return fc.oneof(...alternatives.map((alternative) => validish(alternative, depth)))
    if (schema.allOf) return validish(schema.allOf[0]!, depth)
    if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => validish({ ...schema, type }, depth)))
    switch (schema.type) {
      case 'string':
        if (schema.format === 'email') return fc.oneof(fc.stringMatching(/^[a-z0-9._-]{1,16}@[a-z0-9-]{1,12}\.example$/), fc.emailAddress())
        return fc.string({
          minLength: schema.minLength ?? 0,
          maxLength: Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 24, 24)),
        })
      case 'integer':
        return fc.integer({
          min: Math.max(bound(schema, 'min') ?? -1e6, Number.MIN_SAFE_INTEGER),
          max: Math.min(bound(schema, 'max') ?? 1e6, Number.MAX_SAFE_INTEGER),
        })
      case 'number':
        return fc.double({ min: bound(schema, 'min') ?? -1e6, max: bound(schema, 'max') ?? 1e6, noNaN: true, noDefaultInfinity: true })
      case 'boolean':
        return fc.boolean()
      case 'null':
        return fc.constant(null)
      case 'array':
        return fc.array(field(schema.items ?? {}, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
        })
      case 'object':
        return object(schema, depth).map((entries) => Object.fromEntries(entries))
      default:
        return fc.jsonValue({ maxDepth: 2 })
    }
  }

  /** Values on and just past the schema's own bounds: lengths, sizes and numbers. */
  function edges(input: Schema): unknown[] {
    const schema = resolve(input)
    const values: unknown[] = []
    for (const limit of [bound(schema, 'min'), bound(schema, 'max')])
      if (limit !== undefined) values.push(limit, limit - 1, limit + 1, limit + 0.5)
    for (const length of [schema.minLength, schema.maxLength])
      if (length !== undefined) values.push('a'.repeat(length), 'a'.repeat(Math.max(length - 1, 0)), 'a'.repeat(length + 1))
    if (schema.maxItems !== undefined) values.push(Array.from({ length: schema.maxItems + 1 }, () => ({})))
    return values
  }

  /** Mostly what the schema asks for, sometimes its edges or something hostile (deeper down, less often). */
  function field(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    if (depth > 4) return fc.constant(null)
    const limits = edges(schema)
    return fc.oneof(
      { weight: 8, arbitrary: validish(schema, depth) },
      { weight: limits.length > 0 ? 1 : 0, arbitrary: limits.length > 0 ? fc.constantFrom(...limits) : fc.constant(null) },
      { weight: 2, arbitrary: hostileValue },
    )
  }

  /**
   * An object as key/value entries, so that `__proto__` can be an own key when serialised:
   * required keys sometimes missing, extra and prototype keys sometimes added.
   */
  function object(schema: Schema, depth = 0): fc.Arbitrary<Array<[string, unknown]>> {
    const properties = Object.entries(schema.properties ?? {})
    const required = new Set(schema.required ?? [])
    const present = properties.map(([name, property]) =>
      fc.oneof(
        {
          weight: required.has(name) ? 9 : 1,
          arbitrary: field(property, depth + 1).map((value) => [[name, value]] as Array<[string, unknown]>),
        },
        { weight: 1, arbitrary: fc.constant([]) },
      ),
    )
    const extra = fc.oneof(
      { weight: 6, arbitrary: fc.constant([] as Array<[string, unknown]>) },
      {
        weight: 1,
        arbitrary: fc.array(
          fc.tuple(
            fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, 'id', 'roles', 'status', 'user_id', 'admin'), fc.string({ maxLength: 12 })),
            hostileValue,
          ),
          { minLength: 1, maxLength: 3 },
        ),
      },
    )
    return fc.tuple(fc.tuple(...present), extra).map(([fields, extras]) => [...fields.flat(), ...extras])
  }

  return { resolve, validish, field, object }
}

function bound(schema: Schema, side: 'min' | 'max'): number | undefined {
  if (side === 'min')
    return (
      schema.minimum ??
      (schema.exclusiveMinimum === undefined ? undefined : schema.exclusiveMinimum + (schema.type === 'integer' ? 1 : Number.EPSILON))
    )
  return (
    schema.maximum ??
    (schema.exclusiveMaximum === undefined ? undefined : schema.exclusiveMaximum - (schema.type === 'integer' ? 1 : Number.EPSILON))
  )
}

/** JSON text of entries, keeping `__proto__` as a plain key (JSON.stringify of an object would lose it). */
export function entriesToJson(entries: Array<[string, unknown]>): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`
}
