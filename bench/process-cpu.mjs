// The CPU time of the workerd processes a bench started, from Linux's /proc (empty elsewhere).
import { existsSync, readdirSync, readFileSync } from 'node:fs'

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
