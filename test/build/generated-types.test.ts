import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { WORKERS } from '../../scripts/workers.mjs'
import { runTypes, typesOf } from '../../scripts/types.mjs'

// Each Worker's Env extends the bindings `wrangler types` generates from its wrangler config
// (`npm run types`): a config changed without regenerating fails here.
describe.each(WORKERS)('the generated bindings type of $name', (worker) => {
  it('is up to date with its wrangler config', async () => {
    const { code, output } = await runTypes(worker, true)
    expect(output).toContain('up to date')
    expect(code).toBe(0)
  })
})

describe('the staleness check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-commerce-types-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('fails for a bindings file that no longer matches its config', async () => {
    const worker = WORKERS.find(({ name }) => name === 'users')!
    const stale = join(dir, 'worker-configuration.d.ts')
    copyFileSync(typesOf(worker).path, stale)
    // As if the file were generated before the config last changed.
    writeFileSync(stale, readFileSync(stale, 'utf8').replace(/\(hash: [0-9a-f]+\)/, '(hash: 00000000000000000000000000000000)'))
    const { code, output } = await runTypes(worker, true, stale)
    expect(output).toContain('out of date')
    expect(code).not.toBe(0)
  })
})
