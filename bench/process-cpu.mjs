// The CPU time of the workerd processes a bench started, from Linux's /proc (empty elsewhere).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { sleep } from './harness.mjs'

// Linux reports a process's CPU time in /proc/<pid>/stat, in clock ticks (USER_HZ: 100).
export const TICK_MS = 10

/** The workerd processes this Node process started (Linux; empty elsewhere). */
export function workerdChildren() {
  if (!existsSync('/proc/self/stat')) return []
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        return ppid === process.pid && comm === 'workerd' ? [Number(pid)] : []
      } catch {
        return [] // gone meanwhile
      }
    })
}

/** User + system CPU time of a process so far, in ms. */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // After the comm: state is field 3, utime field 14, stime field 15 (1-based, man 5 proc).
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS
}

/** The CPU time so far of every workerd process this Node process started, in ms (null without /proc). */
export function systemCpuMs() {
  const pids = workerdChildren()
  if (pids.length === 0) return null
  return pids.reduce((sum, pid) => {
    try {
      return sum + cpuMs(pid)
    } catch {
      return sum // gone between the listing and the read
    }
  }, 0)
}

// Quiet: a window longer than a queue consumer's longest batch wait (1 s, wrangler.toml), so a
// batch still waiting to be delivered cannot fall after it, with the system at most 5 % busy.
const QUIET_WINDOW_MS = 1_250
const QUIET_SHARE = 0.05

/**
 * Waits until the system has been quiet for a whole window: what an earlier batch left behind
 * (queue deliveries, relays, alarms) then no longer runs while the next batch is measured.
 * Answers the ms waited; gives up after `maxMs` (the load is then someone else's: a run on a
 * busy machine still goes on). Without /proc, one window's sleep.
 */
export async function untilQuiet({ maxMs = 20_000 } = {}) {
  const began = performance.now()
  for (;;) {
    const before = systemCpuMs()
    await sleep(QUIET_WINDOW_MS)
    const after = systemCpuMs()
    const waited = performance.now() - began
    if (before === null || after - before <= QUIET_WINDOW_MS * QUIET_SHARE + TICK_MS || waited >= maxMs) return waited
  }
}
