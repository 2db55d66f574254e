// `npm run deploy` end to end against a STAND-IN for the wrangler binary
// (test/support/wrangler-stand-in): it proves the script's logic — what it creates, records,
// sets and deploys, in which order, and what a second or resumed run does — not Cloudflare's.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { WORKERS } from '../../scripts/workers.mjs'

const ROOT = resolve('.')
const STAND_IN = resolve('test/support/wrangler-stand-in')
const roots: string[] = []
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })))

interface Account {
  d1: { uuid: string; name: string }[]
  kv: { id: string; title: string }[]
  queues: string[]
  secrets: Record<string, Record<string, string>>
  migrations: Record<string, string[]>
  deployed: string[]
}

/** A copy of the project's configs and migrations (the script edits configs) and an empty pretend account. */
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

const creates = (calls: string[]) => calls.filter((call) => / create /.test(` ${call} `))
const secretSets = (calls: string[]) => calls.filter((call) => call.startsWith('secret bulk'))

/** Every secret value in the pretend account, and each private key's `d` alone. */
function secretValues(account: Account): string[] {
  return Object.values(account.secrets).flatMap((secrets) => Object.values(secrets).flatMap((value) => [value, JSON.parse(value).d as string]))
}

// Each stand-in call is a Node process: generous time on a loaded 2-core machine.
describe('npm run deploy (with a stand-in wrangler)', { timeout: 300_000 }, () => {
  it('creates each resource once, records the ids, sets every secret, migrates and deploys; a second run creates and rotates nothing', () => {
    const box = sandbox()
    const first = box.run('deploy.mjs', ['--env', 'staging', '--skip-health'])
    expect(first.status, first.output).toBe(0)
    const calls = box.newCalls()
    expect(calls[0]).toBe('whoami --json')
    const account = box.account()
    const databases = WORKERS.filter((w) => w.database).map((w) => `edge-commerce-${w.database}-staging`)
    expect(account.d1.map((db) => db.name).sort()).toEqual([...databases].sort())
    expect(account.kv.map((ns) => ns.title)).toEqual(['edge-commerce-inventory-cache-staging'])
    expect(account.queues).toHaveLength(6)
    expect(creates(calls)).toHaveLength(databases.length + 1 + 6)
    expect(new Set(creates(calls)).size).toBe(creates(calls).length)
    // Ids where wrangler reads them; nothing left to fill in.
    for (const db of account.d1) {
      const worker = WORKERS.find((w) => db.name === `edge-commerce-${w.database}-staging`)!
      expect(box.config(worker.config)).toContain(`database_name = "${db.name}"\nmigrations_dir = "../../migrations/${worker.database}"\ndatabase_id = "${db.uuid}"`)
    }
    expect(box.config('workers/inventory/wrangler.toml')).toContain(`binding = "CACHE"\nid = "${account.kv[0]!.id}"`)
    expect(account.secrets['gateway-staging']).toHaveProperty('GATEWAY_PRIVATE_KEY')
    expect(account.secrets['users-staging']).toHaveProperty('JWT_PRIVATE_KEY')
    expect(account.secrets['orders-staging']).toHaveProperty('SERVICE_PRIVATE_KEY')
    // The verifiers got the public halves that match the private keys.
    const gatewayKey = JSON.parse(account.secrets['gateway-staging']!.GATEWAY_PRIVATE_KEY!) as { x: string; kid: string }
    expect(box.config('workers/users/wrangler.toml')).toContain(gatewayKey.x)
    for (const service of ['users', 'inventory', 'payments', 'notifications', 'orders']) {
      expect(box.config(`workers/${service}/wrangler.toml`)).toMatch(/\[env\.staging\.vars\][^[]*GATEWAY_PUBLIC_KEYS = /)
    }
    expect(box.config('workers/inventory/wrangler.toml')).toMatch(/TRUSTED_CALLERS = "\{\\"orders\\"/)
    // Migrations before their Worker, the gateway last.
    expect(account.deployed.at(-1)).toBe('gateway-staging')
    expect(account.deployed).toHaveLength(WORKERS.length)
    for (const [key, files] of Object.entries(account.migrations)) expect(files.length, key).toBeGreaterThan(0)
    const ordersDeploy = calls.findIndex((call) => call.startsWith('deploy') && call.includes('workers/orders/'))
    const ordersMigrate = calls.findIndex((call) => call.startsWith('d1 migrations apply') && call.includes('workers/orders/'))
    const inventoryDeploy = calls.findIndex((call) => call.startsWith('deploy') && call.includes('workers/inventory/'))
    expect(ordersMigrate).toBeLessThan(ordersDeploy)
    expect(inventoryDeploy).toBeLessThan(ordersDeploy)
    expect(first.output).toContain('https://gateway-staging.stand-in.workers.dev')
    expect(first.output).toContain('npm run admin:grant -- --env staging <email>')

    const configsBefore = WORKERS.map(({ config }) => box.config(config))
    const second = box.run('deploy.mjs', ['--env', 'staging', '--skip-health'])
    expect(second.status, second.output).toBe(0)
    const again = box.newCalls()
    expect(creates(again)).toEqual([])
    expect(secretSets(again)).toEqual([])
    expect(box.account().secrets).toEqual(account.secrets)
    expect(WORKERS.map(({ config }) => box.config(config))).toEqual(configsBefore)
    expect(box.account().d1).toEqual(account.d1)

    for (const value of secretValues(box.account())) expect(box.outputs()).not.toContain(value)
    for (const value of secretValues(box.account())) for (const { config } of WORKERS) expect(box.config(config)).not.toContain(value)
  })

  it('resumes a run that failed at the migrations from there', () => {
    const box = sandbox()
    const failed = box.run('deploy.mjs', ['--env', 'production', '--skip-health'], {
      STAND_IN_FAIL: 'd1 migrations apply DB --remote --env production -c workers/orders/wrangler.toml',
    })
    expect(failed.status).toBe(1)
    expect(failed.output).toContain('d1 migrations apply DB --remote --env production')
    expect(box.account().deployed).not.toContain('orders-production')
    expect(box.account().deployed).not.toContain('gateway-production')
    box.newCalls()

    const resumed = box.run('deploy.mjs', ['--env', 'production', '--skip-health'])
    expect(resumed.status, resumed.output).toBe(0)
    const calls = box.newCalls()
    expect(creates(calls)).toEqual([])
    expect(secretSets(calls)).toEqual([])
    expect(box.account().migrations['orders-production:DB']!.length).toBeGreaterThan(0)
    expect(box.account().deployed.at(-1)).toBe('gateway-production')
    expect(resumed.output).toMatch(/migrated edge-commerce-users-production \(already current\)/)
    for (const value of secretValues(box.account())) expect(box.outputs()).not.toContain(value)
  })

  it('says what is missing when wrangler is not logged in, and calls nothing else', () => {
    const box = sandbox()
    const result = box.run('deploy.mjs', ['--env', 'staging'], { STAND_IN_LOGGED_OUT: '1' })
    expect(result.status).toBe(1)
    expect(result.output).toMatch(/not logged in.*wrangler login.*CLOUDFLARE_API_TOKEN/s)
    expect(box.newCalls()).toEqual(['whoami --json'])
  })

  it('refuses an unknown environment with its usage', () => {
    const result = sandbox().run('deploy.mjs', ['--env', 'prod'])
    expect(result.status).toBe(1)
    expect(result.output).toContain('--env must be one of staging, production')
  })
})
