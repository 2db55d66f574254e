/**
 * Whether a Durable Object call failed in the object's own code, for good: its class threw
 * (`remote`), and the runtime neither marks the failure retryable nor the object overloaded.
 * That is a bug to answer as one (a 500). Every other failure happened on the way — the object
 * restarting, moving, overloaded, or out of reach — and says nothing about the caller's request.
 * (https://developers.cloudflare.com/durable-objects/best-practices/error-handling/)
 */
export function failedInObject(error: unknown): boolean {
  const flags = error as { remote?: unknown; retryable?: unknown; overloaded?: unknown } | null | undefined
  return flags?.remote === true && flags.retryable !== true && flags.overloaded !== true
}
