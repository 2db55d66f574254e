// Small, exact edits of a wrangler.toml: one key of one table, the rest of the file (comments,
// order, spacing) left as the developer wrote it. JSON.stringify of a string is a valid TOML
// basic string, so values are written that way.
import { readFileSync, writeFileSync } from 'node:fs'

/** The line range [start, end) of the first `header` table whose lines include `match` (any, if null). */
function findBlock(lines, header, match) {
  for (let start = 0; start < lines.length; start++) {
    if (lines[start].trim() !== header) continue
    let end = start + 1
    while (end < lines.length && !lines[end].trim().startsWith('[')) end++
    if (match === null || lines.slice(start + 1, end).some((line) => line.trim() === match)) return [start, end]
  }
  throw new Error(`no ${header} table${match ? ` with ${match}` : ''}`)
}

const keyLine = (key) => new RegExp(`^\\s*${key}\\s*=`)

/** Sets `key = value` in that table (replacing it, or adding it after the table's last line). */
export function setKey(text, { header, match = null, key, value }) {
  const lines = text.split('\n')
  const [start, end] = findBlock(lines, header, match)
  const line = `${key} = ${JSON.stringify(value)}`
  const existing = lines.slice(start, end).findIndex((candidate) => keyLine(key).test(candidate))
  if (existing >= 0) lines[start + existing] = line
  else {
    let last = end - 1
    while (last > start && (lines[last].trim() === '' || lines[last].trim().startsWith('#'))) last--
    lines.splice(last + 1, 0, line)
  }
  return lines.join('\n')
}

/** Removes `key` from that table, if it is there. */
export function removeKey(text, { header, match = null, key }) {
  const lines = text.split('\n')
  const [start, end] = findBlock(lines, header, match)
  return lines.filter((line, index) => index <= start || index >= end || !keyLine(key).test(line)).join('\n')
}

/** Applies edits to a file, writing it only if something changed. */
export function editFile(path, edits) {
  const before = readFileSync(path, 'utf8')
  const after = edits.reduce((text, edit) => (edit.remove ? removeKey(text, edit) : setKey(text, edit)), before)
  if (after !== before) writeFileSync(path, after)
  return after !== before
}

/** The edit recording a resource's id in its binding's table of the environment's section. */
export function idEdit(env, resource) {
  return resource.kind === 'd1'
    ? {
        header: `[[env.${env}.d1_databases]]`,
        match: `database_name = ${JSON.stringify(resource.name)}`,
        key: 'database_id',
        value: resource.id,
      }
    : { header: `[[env.${env}.kv_namespaces]]`, match: `binding = ${JSON.stringify(resource.binding)}`, key: 'id', value: resource.id }
}

/** The edit setting (or, with value null, removing) a var of the environment's section. */
export const varEdit = (env, key, value) =>
  value === null ? { header: `[env.${env}.vars]`, key, remove: true } : { header: `[env.${env}.vars]`, key, value }
