import { z } from 'zod'

/**
 * Fault injection (local development only, where FAULT_INJECTION=enabled), at `rate` (0..1) of
 * a service's calls: `error` fails them (HTTP 500; RPC a transient `service_unavailable`),
 * `latency` delays them by `latency_ms`, `timeout` holds them for `latency_ms` (default 30 s,
 * longer than any caller waits) and then fails them like `error`.
 */
export const FaultConfigSchema = z.strictObject({
  mode: z.enum(['none', 'error', 'latency', 'timeout']),
  rate: z.number().min(0).max(1),
  latency_ms: z.number().int().min(0).max(30_000).optional(),
})
export type FaultConfig = z.infer<typeof FaultConfigSchema>
