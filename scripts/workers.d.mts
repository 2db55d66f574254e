export interface WorkerEntry {
  name: string
  config: string
  database?: string
}
export const WORKERS: WorkerEntry[]
export const OFFLINE_ENV: Record<string, string>
export const WRANGLER: [string, string]
export function d1BindingsOf(name: string): Promise<string[]>
