import type { NotificationRecord } from '../service/notification'

/** A stored notification for tests of the delivery adapters. */
export function testNotification(overrides: Partial<NotificationRecord> = {}): NotificationRecord {
  return {
    id: 'ntf_test',
    user_id: 'usr_1',
    type: 'welcome',
    channel: 'email',
    recipient: 'ada@example.com',
    subject: 'Welcome',
    body: 'Hi',
    order_id: null,
    created_at: '2026-11-25T10:00:00.000Z',
    delivery_status: 'pending',
    delivery_attempts: 1,
    ...overrides,
  }
}
