// What the account holds, looked up by name: each lookup is read-only, each create happens once.
import { parseJson } from './wrangler.mjs'

/** Stops early, saying what is missing, unless wrangler is logged in. */
export function requireLogin(run) {
  const whoami = run(['whoami', '--json'], { allowFailure: true })
  if (whoami.ok) return parseJson(whoami.stdout)
  throw new Error(
    'wrangler is not logged in to Cloudflare. Run `npx wrangler login`, or set CLOUDFLARE_API_TOKEN ' +
      '(and CLOUDFLARE_ACCOUNT_ID if the token reaches several accounts); docs/deploying.md lists the token scopes.',
  )
}

function d1Ids(run) {
  return new Map(parseJson(run(['d1', 'list', '--json']).stdout).map((db) => [db.name, db.uuid]))
}

function kvIds(run) {
  return new Map(parseJson(run(['kv', 'namespace', 'list']).stdout).map((ns) => [ns.title, ns.id]))
}

export function queueExists(run, name) {
  const info = run(['queues', 'info', name], { allowFailure: true })
  if (info.ok) return true
  if (/does not exist/i.test(info.output)) return false
  throw new Error(`looking up queue ${name} failed:\n${info.output.trim()}`)
}

/**
 * Finds or creates every resource of the plan; answers them with their ids and whether each
 * was created now. `report(line)` narrates.
 */
export function ensureResources(run, resources, report) {
  let databases = null
  let namespaces = null
  return resources.map((resource) => {
    if (resource.kind === 'd1') {
      databases ??= d1Ids(run)
      let id = databases.get(resource.name)
      const created = !id
      if (created) {
        run(['d1', 'create', resource.name])
        databases = d1Ids(run)
        id = databases.get(resource.name)
      }
      report(`${created ? 'created' : 'found  '} D1 database ${resource.name}`)
      if (!id) throw new Error(`D1 database ${resource.name} was created but is not listed`)
      return { ...resource, id, created }
    }
    if (resource.kind === 'kv') {
      namespaces ??= kvIds(run)
      let id = namespaces.get(resource.name)
      const created = !id
      if (created) {
        // Without --env: wrangler would prefix the title with it.
        run(['kv', 'namespace', 'create', resource.name])
        namespaces = kvIds(run)
        id = namespaces.get(resource.name)
      }
      report(`${created ? 'created' : 'found  '} KV namespace ${resource.name}`)
      if (!id) throw new Error(`KV namespace ${resource.name} was created but is not listed`)
      return { ...resource, id, created }
    }
    const created = !queueExists(run, resource.name)
    if (created) run(['queues', 'create', resource.name])
    report(`${created ? 'created' : 'found  '} queue ${resource.name}`)
    return { ...resource, created }
  })
}

/** The names of a Worker's secrets; none if the Worker does not exist yet. */
export function secretNames(run, env, config) {
  const listed = run(['secret', 'list', '--env', env, '-c', config, '--format', 'json'], { allowFailure: true })
  if (listed.ok) return new Set(parseJson(listed.stdout).map((secret) => secret.name))
  if (/does not exist|not found|10007/i.test(listed.output)) return new Set()
  throw new Error(`listing the secrets of ${config} (${env}) failed:\n${listed.output.trim()}`)
}

/** Sets secrets in one `wrangler secret bulk`, the values through stdin. */
export function putSecrets(run, env, config, secrets) {
  run(['secret', 'bulk', '--env', env, '-c', config], { input: JSON.stringify(secrets) })
}
