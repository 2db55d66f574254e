import { describe, expect, it } from 'vitest'
import { CloudEventSchema, EVENT_TYPES, UserRegisteredV1 } from '../../../../shared-contracts/events'
import { drainOutbox, relayOutbox } from '../../../../platform/events/outbox'
import { callUsers, testEnv, testServices, uniqueEmail } from '../../../../test/support/users'

interface OutboxRow {
  id: string
  type: string
  envelope: string
  sent_at: string | null
  last_error: string | null
}

async function outboxFor(email: string): Promise<OutboxRow[]> {
  const rows = await testEnv.DB.prepare('SELECT * FROM outbox ORDER BY created_at').all<OutboxRow>()
  return rows.results.filter((row) => (JSON.parse(row.envelope) as { data: { email: string } }).data.email === email)
}

async function register(email: string): Promise<Response> {
  return callUsers('/api/v1/auth/register', { method: 'POST', body: { email, password: 'long enough password', name: 'Eve' } })
}

/** Registers through the service alone: the row is written, and no relay runs after it. */
async function registerQuietly(email: string): Promise<void> {
  const { users } = testServices().services
  const result = await users.register({ email, password: 'long enough password', name: 'Eve' })
  if (!result.ok) throw new Error(result.error.code)
}

// Every pending row, including other tests', is relayed by these calls: assertions are about
// this test's own row.
describe('the users outbox', () => {
  it('writes a user.registered CloudEvent in the same batch as the user', async () => {
    const email = uniqueEmail('outbox')
    const response = await register(email)
    const user = (await response.json()) as { id: string }
    const [row, ...more] = await outboxFor(email)
    expect(more).toHaveLength(0)
    const event = CloudEventSchema.parse(JSON.parse(row!.envelope))
    expect(event).toMatchObject({ specversion: '1.0', type: EVENT_TYPES.userRegistered, source: '/services/users', subject: user.id })
    expect(UserRegisteredV1.parse(event.data)).toEqual({ user_id: user.id, email, name: 'Eve' })
  })

  it('relays the event right after the response', async () => {
    const email = uniqueEmail('relay')
    await register(email)
    await expect.poll(async () => (await outboxFor(email))[0]?.sent_at ?? null, { timeout: 5_000 }).not.toBeNull()
  })

  it('writes no event when the registration is refused', async () => {
    const email = uniqueEmail('dup')
    await register(email)
    const again = await register(email)
    expect(again.status).toBe(409)
    expect(await outboxFor(email)).toHaveLength(1)
  })

  it('keeps an event whose send failed, and the sweep delivers it later, once', async () => {
    const email = uniqueEmail('sweep')
    await registerQuietly(email)
    // The queue is unreachable: no producer binding. The row stays pending with the reason.
    const failed = await relayOutbox(testEnv.DB, {})
    expect(failed.failed).toBeGreaterThanOrEqual(1)
    const [pending] = await outboxFor(email)
    expect(pending!.sent_at).toBeNull()
    expect(pending!.last_error).toContain('EVENTS_NOTIFICATIONS')

    const swept = await drainOutbox(testEnv.DB, testEnv)
    expect(swept.sent).toBeGreaterThanOrEqual(1)
    const [sent] = await outboxFor(email)
    expect(sent!.sent_at).not.toBeNull()
    expect(sent!.last_error).toBeNull()

    const again = await drainOutbox(testEnv.DB, testEnv)
    expect(again).toEqual({ sent: 0, failed: 0 })
  })

  it('never lets two concurrent relays send the same row', async () => {
    const emails = [uniqueEmail('race'), uniqueEmail('race'), uniqueEmail('race')]
    for (const email of emails) await registerQuietly(email)
    const reports = await Promise.all([
      relayOutbox(testEnv.DB, testEnv),
      relayOutbox(testEnv.DB, testEnv),
      relayOutbox(testEnv.DB, testEnv),
    ])
    const pendingBefore = reports.reduce((sum, report) => sum + report.sent, 0)
    expect(pendingBefore).toBeGreaterThanOrEqual(emails.length)
    const rows = (await Promise.all(emails.map(outboxFor))).flat()
    expect(rows.every((row) => row.sent_at !== null)).toBe(true)
    // Each row was claimed by exactly one relay: the attempts counter says so.
    const attempts = await testEnv.DB.prepare(`SELECT attempts FROM outbox WHERE id IN (${rows.map(() => '?').join(',')})`)
      .bind(...rows.map((row) => row.id))
      .all<{ attempts: number }>()
    expect(attempts.results.map((row) => row.attempts)).toEqual([1, 1, 1])
  })
})
