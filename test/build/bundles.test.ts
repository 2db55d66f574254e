import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
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
    const bundle = readFileSync(join(outdir, 'index.js'))
    expect(bundle.length).toBeGreaterThan(0)
    expect(gzipSync(bundle).length).toBeLessThan(MAX_COMPRESSED_BYTES)
  })
})
