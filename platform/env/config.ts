import { z } from 'zod'
import type { VarSchema } from './vars'

// One parse of a Worker's vars per configuration, not per request. The parsed config is kept on
// the env object (a WeakMap), and also under a fingerprint of exactly the vars the schema names:
// the tracing wrapper may hand each request a new env object with the same vars, and that must
// not parse again. A handful of configurations per isolate at most (tests vary vars; a deploy
// makes a new isolate), the oldest dropped first.

/** How many configurations one isolate keeps by fingerprint. */
export const MAX_CONFIGS = 8

/** A var that is missing or malformed: the message names each var and why, for the log only. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly problems: readonly string[]) {
    super(`bad configuration: ${problems.join('; ')}`)
  }
}

/** The var schema of one Worker: var name → its piece from ./vars.ts. */
export type VarsShape = Record<string, VarSchema<unknown>>

export type VarsOf<S extends VarsShape> = { [K in keyof S]: z.output<S[K]> }

/** Reads a Worker's config from its env; throws `ConfigError` when a var is bad. */
export type ConfigOf<C> = (env: object) => C

/**
 * A Worker's config: `vars` says which vars it reads and how, `build` shapes the parsed values
 * into what its code uses. The returned function parses once per configuration; the same vars
 * give the same config object, so code may memoise on it (a key import, a signer).
 */
export function defineConfig<S extends VarsShape, C>(vars: S, build: (vars: VarsOf<S>) => C): ConfigOf<C> {
  const schema = z.object(vars)
  const names = Object.keys(vars)
  const byEnv = new WeakMap<object, C>()
  const byFingerprint = new Map<string, C>()

  function parse(env: object): C {
    const source = env as Record<string, unknown>
    const parsed = schema.safeParse(Object.fromEntries(names.map((name) => [name, source[name]])))
    if (!parsed.success) {
      throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`))
    }
    return build(parsed.data as VarsOf<S>)
  }

  const configOf = (env: object): C => {
    const known = byEnv.get(env)
    if (known !== undefined) return known
    const fingerprint = JSON.stringify(names.map((name) => (env as Record<string, unknown>)[name] ?? null))
    let config = byFingerprint.get(fingerprint)
    if (config === undefined) {
      config = parse(env)
      byFingerprint.set(fingerprint, config)
      if (byFingerprint.size > MAX_CONFIGS) byFingerprint.delete(byFingerprint.keys().next().value as string)
    }
    byEnv.set(env, config)
    return config
  }
  return configOf
}
