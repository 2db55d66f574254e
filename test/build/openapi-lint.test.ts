import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { buildOpenApiDocument } from '../../shared-contracts/openapi'

const ROOT = join(import.meta.dirname, '../..')
const REDOCLY = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js')

interface LintReport {
  totals: { errors: number; warnings: number }
  problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[]
}

describe('the OpenAPI document under redocly lint (recommended rules, redocly.yaml)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('has no error and no warning', async () => {
    const file = join(dir, 'openapi.json')
    writeFileSync(file, JSON.stringify(buildOpenApiDocument(), null, 2))
    // Offline: no usage data, no update check (it is also skipped without a terminal).
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }
    const run = await promisify(execFile)(
      process.execPath,
      [REDOCLY, 'lint', '--config', join(ROOT, 'redocly.yaml'), '--format', 'json', file],
      { cwd: dir, env },
    ).catch((failed: { stdout?: string; stderr?: string }) => ({ stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' }))
    const report = JSON.parse(run.stdout) as LintReport
    const problems = report.problems.map(
      (problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location.map((at) => at.pointer).join(', ')}`,
    )
    expect(problems).toEqual([])
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 })
  })
})
