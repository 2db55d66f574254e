import type { WorkerEntry } from './workers.mjs'
export function typesOf(worker: WorkerEntry): { name: string; config: string; path: string; envInterface: string }
export function typesArgs(worker: WorkerEntry, check?: boolean, path?: string): string[]
export function runTypes(
  worker: WorkerEntry,
  check?: boolean,
  path?: string,
): Promise<{ name: string; code: number | null; output: string }>
