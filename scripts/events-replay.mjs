// `npm run events:replay -- --since <RFC 3339> [--service <producer>] [--type <event type>]`
// Re-publishes the retained outbox events since then to their subscribers' queues, through the
// running system's admin API (POST /api/v1/admin/events/replay); consumers dedupe.
//   --url   the gateway (default http://127.0.0.1:$PORT, PORT default 8787)
import { parseArgs } from 'node:util'
import { adminSession, replayEvents } from './admin-client.mjs'

const { values } = parseArgs({
  options: { since: { type: 'string' }, service: { type: 'string' }, type: { type: 'string' }, url: { type: 'string' } },
})
if (!values.since) {
  console.error('usage: npm run events:replay -- --since <RFC 3339> [--service <producer>] [--type <event type>] [--url <gateway>]')
  process.exit(2)
}
const baseUrl = values.url ?? `http://127.0.0.1:${process.env.PORT ?? '8787'}`
const request = {
  since: values.since,
  ...(values.service ? { service: values.service } : {}),
  ...(values.type ? { type: values.type } : {}),
}
try {
  const replayed = await replayEvents(await adminSession(baseUrl), request)
  console.log(`Replayed ${replayed} event(s) since ${values.since}.`)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
