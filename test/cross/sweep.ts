// Helpers for the sweep tests: an outbox row no relay has sent, written straight into a
// service's D1 (the runner sees it as `<NAME>_DB`), and whether it has been sent since.
import { env } from 'cloudflare:workers'
import { EVENT_TYPES } from '../../shared-contracts/events'

const dbOf = (service: string) => (env as unknown as Record<string, D1Database>)[`${service.toUpperCase()}_DB`]!

/** An unsent event with no subscribers: sending it only marks it sent, nothing else happens. */
export async function pendingOutboxRow(service: string): Promise<string> {
  const id = crypto.randomUUID()
  const envelope = JSON.stringify({ specversion: '1.0', id, type: EVENT_TYPES.paymentCaptured, source: `/services/${service}`, data: {} })
  await dbOf(service)
    .prepare('INSERT INTO outbox (id, type, envelope, created_at) VALUES (?1, ?2, ?3, ?4)')
    .bind(id, EVENT_TYPES.paymentCaptured, envelope, new Date().toISOString())
    .run()
  return id
}

export async function isSent(service: string, id: string): Promise<boolean> {
  const row = await dbOf(service).prepare('SELECT sent_at FROM outbox WHERE id = ?1').bind(id).first<{ sent_at: string | null }>()
  return row?.sent_at != null
}
