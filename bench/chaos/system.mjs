// The local system under a chaos run: `npm start`'s script in a process group of its own, on a
// free port with a throw-away state folder, killed with SIGKILL (the whole group, by its id)
// and started again on the same state.
import { spawn } from 'node:child_process'
import { call, sleep } from '../harness.mjs'

// Applying five databases' migrations and starting six Workers takes minutes on a busy 2-core machine.
const START_TIMEOUT_MS = 360_000

export function localSystem({ port, inspectorPort, persistDir }) {
  const baseUrl = `http://127.0.0.1:${port}`
  let child = null
  let output = ''
  /** The start-up recovery's report line (scripts/replay-on-start.mjs), kept apart from the rolling output. */
  let recovery = null
  async function start() {
    output = ''
    child = spawn(process.execPath, ['scripts/start.mjs'], {
      env: { ...process.env, PORT: String(port), INSPECTOR_PORT: String(inspectorPort), PERSIST_DIR: persistDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    const keep = (chunk) => {
      output = (output + chunk).slice(-20_000)
      recovery = /Recovery[^\n]*/.exec(String(chunk))?.[0] ?? recovery
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    const deadline = Date.now() + START_TIMEOUT_MS
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`)
      if (
        await call(baseUrl, 'GET', '/health').then(
          (r) => r.status === 200,
          () => false,
        )
      )
        return
      await sleep(500)
    }
    throw new Error(`the system did not become healthy:\n${output}`)
  }
  /** Every process of the group at once, with no chance to clean up: a crash. */
  async function kill() {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    process.kill(-child.pid, 'SIGKILL')
    await exited
    await sleep(500)
  }
  async function stop() {
    if (!child || child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    process.kill(-child.pid, 'SIGTERM')
    const force = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 10_000)
    await exited
    clearTimeout(force)
  }
  return { baseUrl, start, kill, stop, output: () => output, recovery: () => recovery }
}
