// Starts the whole system exactly as a developer does (`npm start`), on free loopback ports
// and a throw-away state folder, waits until the gateway reports healthy, and stops it after.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { writeOtelVars } from '../../scripts/dev-keys.mjs'
import { startOtlpReceiver } from './otlp-receiver'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
    /** The OTLP receiver the system exports its traces to (test/support/otlp-receiver.ts). */
    otlpUrl: string
    /** The system's local state (D1, Durable Objects): tests may read, never write, it. */
    persistDir: string
  }
}

const START_TIMEOUT_MS = 120_000

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function waitForHealth(baseUrl: string, system: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (system.exitCode !== null) throw new Error(`npm start exited with ${system.exitCode}:\n${output()}`)
    const healthy = await fetch(`${baseUrl}/health`).then(
      (response) => response.ok,
      () => false,
    )
    if (healthy) return
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`the system did not become healthy in ${START_TIMEOUT_MS} ms:\n${output()}`)
}

/** Whether any process of the group `pid` leads is still alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

async function stop(system: ChildProcess): Promise<void> {
  if (system.exitCode !== null || system.pid === undefined) return
  const pid = system.pid
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => process.kill(-pid, 'SIGKILL'), 10_000)
    system.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    // The group we started (npm → node → wrangler → workerd), by its own id.
    process.kill(-pid, 'SIGTERM')
  })
  // npm exits before its children do: wait for the whole group, which still writes to the
  // state folder (the start script's heartbeat) until it is gone, then force what is left.
  for (let waited = 0; groupAlive(pid) && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100))
  if (groupAlive(pid)) process.kill(-pid, 'SIGKILL')
}

export default async function startSystem(project: TestProject): Promise<() => Promise<void>> {
  const [port, inspectorPort] = [await freePort(), await freePort()]
  const persistDir = mkdtempSync(join(tmpdir(), 'edge-commerce-e2e-'))
  // Traces go to a receiver inside the harness, as `npm start` exports them when the variable is set.
  const receiver = await startOtlpReceiver()
  let log = ''
  const system = spawn('npm', ['start'], {
    env: {
      ...process.env,
      PORT: String(port),
      INSPECTOR_PORT: String(inspectorPort),
      PERSIST_DIR: persistDir,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      // Generous: an export given up is lost (ADR 16), and a loaded 2-core machine is slow to send one.
      OTEL_EXPORTER_OTLP_TIMEOUT: '10000',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const collect = (chunk: Uint8Array) => {
    log = (log + new TextDecoder().decode(chunk)).slice(-20_000)
  }
  system.stdout?.on('data', collect)
  system.stderr?.on('data', collect)
  const baseUrl = `http://127.0.0.1:${port}`
  try {
    await waitForHealth(baseUrl, system, () => log)
  } catch (error) {
    await stop(system)
    await receiver.close()
    rmSync(persistDir, { recursive: true, force: true })
    throw error
  }
  project.provide('baseUrl', baseUrl)
  project.provide('otlpUrl', receiver.url)
  project.provide('persistDir', persistDir)
  return async () => {
    await stop(system)
    await receiver.close()
    writeOtelVars({}) // the developer's next `npm start` exports only if they ask for it
    rmSync(persistDir, { recursive: true, force: true })
  }
}
