export interface ReceivedRequest {
  path: string
  method: string
  headers: Record<string, string | string[] | undefined>
  body: string
}

export interface Receiver {
  url(path: '/ok' | '/fail' | '/redirect' | '/huge' | '/hang' | '/landing'): string
  requests: ReceivedRequest[]
  hits(path: string): number
  /** Whether the client hung up on the endless body before it ended (it never ends). */
  hugeBodyAborted(): boolean
  close(): Promise<void>
}

export function startReceiver(): Promise<Receiver>
export function closedPort(): Promise<number>
