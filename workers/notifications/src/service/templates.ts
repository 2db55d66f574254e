// The words of each notification. Plain text: bodies are never HTML, so nothing needs escaping,
// but values that land in a subject are kept on one line (no header injection downstream).

import type { EventData, EVENT_TYPES } from '../../../../shared-contracts/events'
import type { CancellationReason } from '../../../../shared-contracts/orders'

const oneLine = (value: string, max = 100) =>
  value
    .replace(/[\r\n\t]+/g, ' ')
    .trim()
    .slice(0, max)
const SIGNATURE = ['', '— The Edge Commerce team']

export interface Message {
  subject: string
  body: string
}

type OrderSnapshot = EventData<typeof EVENT_TYPES.orderConfirmed>

export function welcomeMessage({ name }: { name: string }): Message {
  const who = oneLine(name) || 'there'
  return {
    subject: `Welcome to Edge Commerce, ${who}`,
    body: [`Hi ${who},`, '', 'your Edge Commerce account is ready. Happy shopping!', ...SIGNATURE].join('\n'),
  }
}

export function orderConfirmedMessage(order: OrderSnapshot, { name }: { name: string }): Message {
  const id = oneLine(order.order_id)
  const count = order.items.reduce((sum, item) => sum + item.quantity, 0)
  return {
    subject: `Your order ${id} is confirmed`,
    body: [
      `Hi ${oneLine(name) || 'there'},`,
      '',
      `your order ${id} is confirmed: ${count} ${count === 1 ? 'item' : 'items'}, ${money(order.total_cents, order.currency)} in total.`,
      ...SIGNATURE,
    ].join('\n'),
  }
}

/** In a customer's words; a reason added to the contract later reads as its code until it is worded here. */
const REASONS: Record<CancellationReason, string> = {
  out_of_stock: 'out of stock',
  payment_declined: 'payment declined',
  unknown_product: 'product no longer available',
  saga_failed: 'we could not complete it',
}

function reasonText(reason: string | null): string {
  if (reason === null) return 'no reason given'
  return Object.hasOwn(REASONS, reason)
    ? REASONS[reason as CancellationReason]
    : oneLine(reason.replaceAll('_', ' '), 60) || 'no reason given'
}

export function orderCancelledMessage(order: OrderSnapshot, { name }: { name: string }): Message {
  const id = oneLine(order.order_id)
  const reason = reasonText(order.cancellation_reason)
  return {
    subject: `Your order ${id} was cancelled: ${reason}`,
    body: [`Hi ${oneLine(name) || 'there'},`, '', `your order ${id} was cancelled (${reason}).`, ...SIGNATURE].join('\n'),
  }
}

/** Integer minor units in their currency's own format (€42.50, ¥500); an unknown code falls back to two decimals. */
function money(minorUnits: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency })
    return format.format(minorUnits / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2))
  } catch {
    return `${(minorUnits / 100).toFixed(2)} ${oneLine(currency, 8)}`
  }
}
