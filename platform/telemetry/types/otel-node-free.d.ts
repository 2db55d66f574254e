// Type-only stand-ins for the OpenTelemetry packages whose declarations reference Node's
// types (`/// <reference types="node" />` in their Node platform files). The Workers' tsconfig
// must not see Node globals (see node-async-hooks.d.ts); tsconfig.json maps these module names
// here. Only the types that @microlabs/otel-cf-workers' declarations and this project use.
export interface ExportResult {
  code: number
  error?: Error
}
export interface InstrumentationScope {
  readonly name: string
  readonly version?: string
  readonly schemaUrl?: string
}
export interface Resource {
  readonly attributes: Record<string, unknown>
  merge(other: Resource | null): Resource
}
export declare class OTLPExporterError extends Error {
  readonly code?: number
  readonly data?: string
}
