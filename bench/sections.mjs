// Sections of bench/RESULTS.md written by the benchmarks that run on their own (orders-base,
// operations, order-anatomy): each sits between `<!-- section:<name> -->` and
// `<!-- /section:<name> -->`, is replaced in place when its benchmark runs again, and is kept
// when `npm run bench` rewrites the rest of the report.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

const RESULTS = new URL('./RESULTS.md', import.meta.url)
const open = (name) => `<!-- section:${name} -->`
const close = (name) => `<!-- /section:${name} -->`
const SECTION = /<!-- section:([a-z0-9-]+) -->[\s\S]*?<!-- \/section:\1 -->/g

/** `markdown` with the section `name` replaced by `body`, or appended when it has none yet. */
export function spliceSection(markdown, name, body) {
  const block = `${open(name)}\n${body.trim()}\n${close(name)}`
  const start = markdown.indexOf(open(name))
  const end = markdown.indexOf(close(name))
  if (start === -1 || end === -1) return `${markdown.trimEnd()}\n\n${block}\n`
  return `${markdown.slice(0, start)}${block}${markdown.slice(end + close(name).length)}`
}

/** Every section of `previous` carried into `next` (a freshly rendered report). */
export function keepSections(previous, next) {
  let markdown = next
  for (const match of previous.matchAll(SECTION)) {
    const name = match[1]
    const body = match[0].slice(open(name).length, -close(name).length)
    markdown = spliceSection(markdown, name, body)
  }
  return markdown
}

/** Writes one section into bench/RESULTS.md. */
export function writeSection(name, body) {
  const markdown = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n'
  writeFileSync(RESULTS, spliceSection(markdown, name, body))
}
