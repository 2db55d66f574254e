import type { EventHandlers } from '../../../../platform/events/consumer'
import { EVENT_TYPES } from '../../../../shared-contracts/events'

/**
 * Inventory's subscription to its own product and stock events. They used to invalidate the
 * product cache; now every write bumps the stamps of what it changed in its own batch
 * (repo/cache-stamps-repo.ts), atomically, so an event has nothing left to repair: each is
 * recorded once in the inbox and acknowledged. The subscription stays the route of the
 * dead-letter redrive and of event replay to inventory.
 */
export function ownEventHandlers(): EventHandlers {
  const recorded = async () => []
  return {
    [EVENT_TYPES.productCreated]: recorded,
    [EVENT_TYPES.productUpdated]: recorded,
    [EVENT_TYPES.stockChanged]: recorded,
  }
}
