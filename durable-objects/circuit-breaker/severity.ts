import type { BreakerStatus } from './state-machine'

/** How bad a breaker's status is for its callers: open refuses all, half-open some, closed none. */
export const BREAKER_SEVERITY: Readonly<Record<BreakerStatus, number>> = { open: 2, half_open: 1, closed: 0 }
