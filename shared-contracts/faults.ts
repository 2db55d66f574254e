import { z } from 'zod'

/**
 * Fault injection (local development only, where FAULT_INJECTION=enabled): `error` fails that
 * share of a service's calls with a transient 503 / `service_unavailable`; `latency` delays them.
 */
export const FaultConfigSchema = z.strictObject({
  mode: z.enum(['none', 'error', 'latency']),
  rate: z.number().min(0).max(1),
  latency_ms: z.number().int().min(0).max(30_000).optional(),
})
export type FaultConfig = z.infer<typeof FaultConfigSchema>
