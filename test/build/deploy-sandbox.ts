// A sandbox for the deploy scripts' tests: a copy of the project's configs and migrations (the
// scripts edit configs) and an empty pretend account, with the STAND-IN wrangler
// (test/support/wrangler-stand-in) first on PATH for the scripts run there, and only there.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll } from 'vitest'
import { WORKERS } from '../../scripts/workers.mjs'

const ROOT = resolve('.')
const STAND_IN = resolve('test/support/wrangler-stand-in')
const roots: string[] = []
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true })
})

export interface Account {
  d1: { uuid: string; name: string }[]
  kv: { id: string; title: string }[]
  queues: string[]
  secrets: Record<string, Record<string, string>>
  migrations: Record<string, string[]>
  deployed: string[]
}

/** A copy of the project's configs and migrations (the script edits configs) and an empty pretend account. */
/** A fresh sandbox, removed after the file's tests. */
export function sandbox() {
  const root = mkdtempSync(join(tmpdir(), 'edge-commerce-deploy-'))
  roots.push(root)
  for (const { config } of WORKERS) cpSync(config, join(root, config))
  cpSync('migrations', join(root, 'migrations'), { recursive: true })
  const state = join(root, 'account.json')
  const log = join(root, 'calls.jsonl')
  let outputs = ''
  let logged = 0
  return {
    root,
    run(script: string, args: string[], env: Record<string, string> = {}) {
      const result = spawnSync(process.execPath, [join(ROOT, 'scripts', script), ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${STAND_IN}:${process.env.PATH}`, STAND_IN_STATE: state, STAND_IN_LOG: log, ...env },
      })
      outputs += result.stdout + result.stderr
      return { status: result.status, output: result.stdout + result.stderr }
    },
    account: () => JSON.parse(readFileSync(state, 'utf8')) as Account,
    /** The wrangler calls since the last time this was asked. */
    newCalls(): string[] {
      let lines: string[] = []
      try {
        lines = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean)
      } catch {}
      const fresh = lines.slice(logged).map((line) => (JSON.parse(line) as { args: string[] }).args.join(' '))
      logged = lines.length
      return fresh
    },
    outputs: () => outputs,
    config: (path: string) => readFileSync(join(root, path), 'utf8'),
  }
}

export const creates = (calls: string[]) => calls.filter((call) => / create /.test(` ${call} `))
export const secretSets = (calls: string[]) => calls.filter((call) => call.startsWith('secret bulk'))

/** Every secret value in the pretend account, and each private key's `d` alone. */
export function secretValues(account: Account): string[] {
  return Object.values(account.secrets).flatMap((secrets) =>
    Object.values(secrets).flatMap((value) => [value, JSON.parse(value).d as string]),
  )
}
