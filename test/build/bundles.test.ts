import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { WORKERS } from '../../scripts/workers.mjs'
import { buildWorker } from '../support/build.mjs'

// Workers Free allows 3 MiB per Worker after compression (Paid: 10 MiB); stay within the
// stricter one so any account can deploy the system.
const MAX_COMPRESSED_BYTES = 3 * 1024 * 1024

const outRoot = mkdtempSync(join(tmpdir(), 'edge-commerce-build-'))
afterAll(() => rmSync(outRoot, { recursive: true, force: true }))

describe.each(WORKERS)('$name', ({ name, config }) => {
  it('builds for production with wrangler deploy --dry-run, within the size limit', () => {
    const outdir = join(outRoot, name)
    buildWorker(config, outdir)
    expect(readFileSync(join(outdir, 'index.js')).length).toBeGreaterThan(0)
    // Every module uploaded counts (the gateway's docs assets are text modules beside index.js);
    // wrangler's README and source maps are not part of the Worker.
    const modules = readdirSync(outdir).filter((file) => file !== 'README.md' && !file.endsWith('.map'))
    const compressed = modules.reduce((total, file) => total + gzipSync(readFileSync(join(outdir, file))).length, 0)
    expect(compressed).toBeLessThan(MAX_COMPRESSED_BYTES)
  })
})
