// Where a Worker's time goes: a V8 CPU profile of its isolate, taken through workerd's
// inspector while load runs, with each sample's self time attributed to the source module it
// was bundled from (esbuild writes a `// <path>` line before each module in the bundle).
import { readFileSync } from 'node:fs'

const MODULE_MARKER = /^\/\/ ((?:\.\.\/)*(?:node_modules|workers|platform|shared-contracts|durable-objects|bench)\/\S+\.(?:m?[jt]s|json))$/

/** The bundle's module markers as [first line (0-based), module path], in line order. */
function moduleMarkers(bundlePath) {
  const markers = []
  readFileSync(bundlePath, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const match = MODULE_MARKER.exec(line)
      if (match) markers.push([index, match[1].replace(/^(\.\.\/)+/, '')])
    })
  return markers
}

function moduleAt(markers, line) {
  let low = 0
  let high = markers.length - 1
  let found = null
  while (low <= high) {
    const middle = (low + high) >> 1
    if (markers[middle][0] <= line) {
      found = markers[middle][1]
      low = middle + 1
    } else high = middle - 1
  }
  return found ?? '(bundle prelude)'
}

/** A module path as a component: a package (`node_modules/<pkg>`) or a project folder. */
export function componentOf(path) {
  const parts = path.split('/')
  if (parts[0] === 'node_modules') return parts[1].startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1]
  const file = parts.at(-1).replace(/\.(m?[jt]s|json)$/, '')
  return [...parts.slice(0, -1), file].join('/')
}

class Inspector {
  #socket
  #id = 0
  #pending = new Map()
  static async connect(url) {
    const inspector = new Inspector()
    inspector.#socket = new WebSocket(url)
    await new Promise((resolve, reject) => {
      inspector.#socket.addEventListener('open', resolve, { once: true })
      inspector.#socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${url}`)), { once: true })
    })
    inspector.#socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data))
      const waiting = message.id === undefined ? undefined : inspector.#pending.get(message.id)
      if (!waiting) return
      inspector.#pending.delete(message.id)
      if (message.error) waiting.reject(new Error(message.error.message))
      else waiting.resolve(message.result)
    })
    return inspector
  }
  send(method, params = {}) {
    const id = ++this.#id
    this.#socket.send(JSON.stringify({ id, method, params }))
    return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }))
  }
  close() {
    this.#socket.close()
  }
}

/**
 * Profiles the isolate of Worker `name` while `load()` runs. Answers the samples' self time by
 * component and by function, as shares of the time the isolate was busy (idle excluded).
 */
export async function profileWorker(system, name, bundlePath, load) {
  const inspector = await Inspector.connect(`${system.inspectorUrl}core:user:${name}`)
  try {
    await inspector.send('Profiler.enable')
    await inspector.send('Profiler.setSamplingInterval', { interval: 200 })
    await inspector.send('Profiler.start')
    await load()
    const { profile } = await inspector.send('Profiler.stop')
    return summarizeProfile(profile, moduleMarkers(bundlePath))
  } finally {
    inspector.close()
  }
}

/** Self time per node from the samples, then grouped by component and by function. */
export function summarizeProfile(profile, markers) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const selfUs = new Map()
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index + 1] ?? 0
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, delta))
  })
  const byComponent = new Map()
  const byFunction = new Map()
  let busyUs = 0
  let idleUs = 0
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame
    if (functionName === '(idle)') {
      idleUs += us
      continue
    }
    busyUs += us
    const fromBundle = url !== '' && lineNumber >= 0 && !functionName.startsWith('(')
    const module = fromBundle ? moduleAt(markers, lineNumber) : null
    const component = module ? componentOf(module) : functionName.startsWith('(') ? functionName : '(runtime built-ins)'
    byComponent.set(component, (byComponent.get(component) ?? 0) + us)
    const fn = `${functionName || '(anonymous)'}${module ? ` — ${module}` : ''}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us)
  }
  const ranked = (map) => [...map].sort((a, b) => b[1] - a[1]).map(([key, us]) => ({ key, ms: us / 1000, share: busyUs ? us / busyUs : 0 }))
  return { busyMs: busyUs / 1000, idleMs: idleUs / 1000, components: ranked(byComponent), functions: ranked(byFunction) }
}
