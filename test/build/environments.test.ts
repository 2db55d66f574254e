import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { unstable_readConfig } from 'wrangler'
import { WORKERS } from '../../scripts/workers.mjs'
import { databaseName, ENVIRONMENTS, readWorkers } from '../../scripts/deploy/plan.mjs'
import { buildWorker } from '../support/build.mjs'

const outRoot = mkdtempSync(join(tmpdir(), 'edge-commerce-env-build-'))
afterAll(() => rmSync(outRoot, { recursive: true, force: true }))

const cases = ENVIRONMENTS.flatMap((env) => WORKERS.map((worker) => ({ env, ...worker })))

describe.each(cases)('$name in $env', ({ env, name, config }) => {
  it('builds with wrangler deploy --dry-run --env', () => {
    const output = buildWorker(config, join(outRoot, env, name), env)
    expect(output).toContain('--dry-run: exiting now.')
  })
})

describe.each(ENVIRONMENTS)('the %s section of every wrangler.toml', (env) => {
  const workers = readWorkers(env)

  it('names every Worker, resource and binding target with the environment, never sharing with the other', () => {
    const other = ENVIRONMENTS.find((candidate) => candidate !== env)!
    for (const { name, config } of workers) {
      expect(config.name).toBe(`${name}-${env}`)
      expect(config.vars.ENVIRONMENT).toBe(env)
      for (const db of config.d1_databases) expect(db.database_name).toBe(databaseName(name, db.binding, env))
      const queues = [
        ...(config.queues.producers ?? []).map((q: { queue: string }) => q.queue),
        ...(config.queues.consumers ?? []).flatMap((q: { queue: string; dead_letter_queue?: string }) => [
          q.queue,
          q.dead_letter_queue ?? `x-${env}`,
        ]),
      ]
      for (const queue of queues) expect(queue).toMatch(new RegExp(`-${env}$`))
      for (const service of config.services ?? []) expect(service.service).toMatch(new RegExp(`-${env}$`))
      expect(JSON.stringify(config)).not.toContain(`-${other}"`)
    }
  })

  it('turns Workers Logs on with a head-sampling rate, has no fault injection and no development admin', () => {
    for (const { config } of workers) {
      expect(config.observability).toMatchObject({ enabled: true, head_sampling_rate: expect.any(Number) })
      expect(config.vars.FAULT_INJECTION).toBeUndefined()
      expect(config.vars.ADMIN_PASSWORD).toBeUndefined()
    }
  })

  it('has one cron trigger, on the gateway, within Workers Free (5 per account) for both environments together', () => {
    const crons = workers.flatMap(({ name, config }) => (config.triggers?.crons ?? []).map((cron: string) => `${name} ${cron}`))
    expect(crons).toEqual(['gateway * * * * *'])
  })
})

it('gives local development the same single cron trigger, on the gateway', () => {
  const crons = WORKERS.flatMap(({ name, config }) =>
    (unstable_readConfig({ config }, { hideWarnings: true }).triggers?.crons ?? []).map((cron: string) => `${name} ${cron}`),
  )
  expect(crons).toEqual(['gateway * * * * *'])
})
