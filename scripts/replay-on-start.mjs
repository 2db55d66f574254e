// The local system heals itself after a crash. The local queue broker keeps messages in memory,
// so whatever was in flight when `npm start` died is gone, while the outboxes kept every sent
// event (retention window). So `npm start` records that it is alive (a heartbeat file in the
// state folder) and, on the next start, once the system is healthy, replays the events of the
// window before the last heartbeat and rebuilds the orders read model; consumers dedupe.
//   REPLAY_ON_START_MINUTES   how far before the last heartbeat to replay (default 10; 0: off)
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { adminSession, replayEvents } from './admin-client.mjs'

const HEARTBEAT_MS = 5_000
const HEALTH_TIMEOUT_MS = 180_000

async function healthy(baseUrl) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (
      await fetch(`${baseUrl}/health`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return true
    await new Promise((resolve) => setTimeout(resolve, 1_000))
  }
  return false
}

/**
 * Starts the heartbeat and, if an earlier run left one, the recovery. Never throws: a failed
 * recovery is reported and the system keeps running.
 */
export function recoverOnStart({ baseUrl, persistDir, log = console.log }) {
  const file = join(persistDir, 'last-alive')
  const lastAlive = existsSync(file) ? Number(readFileSync(file, 'utf8')) : null
  const beat = () => writeFileSync(file, String(Date.now()))
  const minutes = Number(process.env.REPLAY_ON_START_MINUTES ?? '10')
  const recovery = (async () => {
    if (!(await healthy(baseUrl))) return
    beat()
    setInterval(beat, HEARTBEAT_MS).unref()
    if (lastAlive === null || !Number.isFinite(lastAlive) || !(minutes > 0)) return
    const since = new Date(lastAlive - minutes * 60_000).toISOString()
    const admin = await adminSession(baseUrl)
    const replayed = await replayEvents(admin, { since })
    const rebuilt = await admin('POST', '/api/v1/admin/read-models/orders/rebuild')
    log(
      `Recovery: replayed ${replayed} event(s) since ${since}; the orders read model rebuilt (${rebuilt.body?.rebuilt ?? '?'} row(s) written).`,
    )
  })()
  return recovery.catch((error) => log(`Recovery after restart failed: ${error instanceof Error ? error.message : error}`))
}
