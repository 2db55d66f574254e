import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '../..')
const SOURCES = ['workers', 'platform', 'durable-objects', 'shared-contracts']
/** The one place allowed to write to the console: the redacting logger's sink. */
const LOGGER = 'platform/telemetry/log.ts'

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path)
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : []
  })
}

// The auxiliary Workers' console output cannot be captured from the cross-Worker tests, so this
// holds every Worker to the logger that redacts: no line reaches the console any other way.
describe('every Worker logs through the redacting logger', () => {
  it('has no console call outside platform/telemetry/log.ts', () => {
    const offenders = SOURCES.flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .map((path) => relative(ROOT, path))
      .filter((path) => path !== LOGGER && /\bconsole\s*[.[]/.test(readFileSync(join(ROOT, path), 'utf8')))
    expect(offenders).toEqual([])
  })
})
