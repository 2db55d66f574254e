// Figure 6, per Worker: the size of what `wrangler deploy --dry-run` would upload, and the time
// a fresh runtime takes to answer its first request.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { direct, start } from './harness.mjs'
import { cpuMs, workerdChildren } from './process-cpu.mjs'

/** Raw and gzip bytes of each build's upload (every file wrangler wrote but source maps and its README). */
export function bundleSizes(builds) {
  return builds.map(({ name, dir }) => {
    const files = readdirSync(dir).filter((file) => !file.endsWith('.map') && file !== 'README.md')
    let raw = 0
    let gzip = 0
    for (const file of files) {
      const content = readFileSync(join(dir, file))
      raw += content.length
      gzip += gzipSync(content).length
    }
    return { name, files: files.length, raw, gzip }
  })
}

/**
 * The Worker alone in a fresh Miniflare: its own D1, KV, queues and vars kept, its service and
 * Durable Object bindings dropped (the Workers they name are not there; the hello bundle exports
 * no class). With `script`, another bundle (hello's) under the same name and bindings: the
 * baseline that leaves only the Worker's own script as the difference.
 */
function alone(options, script) {
  const { serviceBindings: _services, durableObjects: _objects, ...rest } = options
  return direct(script ? { ...rest, modules: script.modules, modulesRoot: script.modulesRoot } : rest)
}

/**
 * From `new Miniflare()` to the first response to `GET /` (whatever its status): the wall time,
 * and the CPU time workerd used until then (null where /proc is not there).
 */
async function firstResponse(worker) {
  const before = new Set(workerdChildren())
  const began = performance.now()
  const system = await start([worker])
  try {
    const response = await fetch(`${await system.url(worker.name)}/`)
    await response.arrayBuffer()
    const wall = performance.now() - began
    const [pid] = workerdChildren().filter((candidate) => !before.has(candidate))
    return { wall, cpu: pid === undefined ? null : cpuMs(pid) }
  } finally {
    await system.stop()
  }
}

/**
 * `rounds` fresh starts of each Worker and of its baseline (the hello bundle with the Worker's
 * bindings), interleaved round by round. Answers per Worker both times and the difference of
 * each round — the Worker's own start-up (parse, compile and run its bundle's global scope) —
 * in wall time and in workerd's CPU time.
 */
export async function startupTimes(entries, hello, { rounds }) {
  const times = Object.fromEntries(entries.map(({ key }) => [key, { worker: [], baseline: [], own: [], ownCpu: [] }]))
  for (let round = 0; round < rounds; round++) {
    for (const { key, options } of entries) {
      const baseline = await firstResponse(alone(options, hello))
      const worker = await firstResponse(alone(options))
      times[key].worker.push(worker.wall)
      times[key].baseline.push(baseline.wall)
      times[key].own.push(worker.wall - baseline.wall)
      if (worker.cpu !== null && baseline.cpu !== null) times[key].ownCpu.push(worker.cpu - baseline.cpu)
    }
  }
  return times
}
