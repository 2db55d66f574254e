// A small OTLP/HTTP receiver for the test harness (no collector binary exists here): accepts
// `POST /v1/traces` in OTLP JSON, keeps the decoded spans, and serves them to the tests at
// `GET /test/spans`. `PUT /test/mode` with `{ "hang": true }` makes it accept exports and never
// answer (a dead collector), to show that requests do not wait for the export.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedSpan {
  service: string
  traceId: string
  spanId: string
  parentSpanId: string
  name: string
  kind: number
  attributes: Record<string, unknown>
  links: Array<{ traceId: string; spanId: string }>
  events: Array<{ name: string; attributes: Record<string, unknown> }>
  status: { code?: number; message?: string }
  /** Start and end, ms since the epoch (fractional). */
  startMs: number
  endMs: number
}

interface OtlpValue {
  stringValue?: string
  intValue?: string | number
  doubleValue?: number
  boolValue?: boolean
}
interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  attributes?: Array<{ key: string; value: OtlpValue }>
  links?: Array<{ traceId: string; spanId: string }>
  events?: Array<{ name: string; attributes?: Array<{ key: string; value: OtlpValue }> }>
  status?: { code?: number; message?: string }
  startTimeUnixNano?: OtlpTime
  endTimeUnixNano?: OtlpTime
}
interface OtlpTraces {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: OtlpValue }> }
    scopeSpans?: Array<{ spans?: OtlpSpan[] }>
  }>
}

const otlpValue = (value: OtlpValue): unknown =>
  value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : undefined) ?? value.doubleValue ?? value.boolValue
const attributesOf = (list: Array<{ key: string; value: OtlpValue }> = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, otlpValue(value)]))

/** OTLP JSON encodes ids as hex (the protobuf JSON mapping would be base64; accept both). */
function hexId(id: string | undefined): string {
  if (!id) return ''
  return /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex')
}

type OtlpTime = string | number | { low: number; high: number }
/** An OTLP time (a decimal string, a number, or protobuf-JSON's low/high halves) in ms. */
function nanosToMs(nanos: OtlpTime | undefined): number {
  if (nanos === undefined) return 0
  const value = typeof nanos === 'object' ? (BigInt(nanos.high >>> 0) << 32n) + BigInt(nanos.low >>> 0) : BigInt(nanos)
  return Number(value / 1000n) / 1000
}

export function decodeTraces(body: OtlpTraces): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resourceSpans) => {
    const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '')
    return (resourceSpans.scopeSpans ?? []).flatMap(({ spans = [] }) =>
      spans.map((span) => ({
        service,
        traceId: hexId(span.traceId),
        spanId: hexId(span.spanId),
        parentSpanId: hexId(span.parentSpanId),
        name: span.name,
        kind: span.kind,
        attributes: attributesOf(span.attributes),
        links: (span.links ?? []).map((link) => ({ traceId: hexId(link.traceId), spanId: hexId(link.spanId) })),
        events: (span.events ?? []).map((event) => ({ name: event.name, attributes: attributesOf(event.attributes) })),
        status: span.status ?? {},
        startMs: nanosToMs(span.startTimeUnixNano),
        endMs: nanosToMs(span.endTimeUnixNano),
      })),
    )
  })
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

export interface OtlpReceiver {
  url: string
  spans: ReceivedSpan[]
  close(): Promise<void>
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = []
  let hang = false
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  }
  const server = createServer(async (request, response) => {
    try {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        const body = await readBody(request)
        if (hang) return // never answered: a collector that hangs
        spans.push(...decodeTraces(JSON.parse(body) as OtlpTraces))
        return json(response, 200, {})
      }
      if (request.method === 'GET' && request.url?.startsWith('/test/spans')) {
        const traceId = new URL(request.url, 'http://receiver').searchParams.get('trace_id')
        return json(response, 200, traceId ? spans.filter((span) => span.traceId === traceId) : spans)
      }
      if (request.method === 'PUT' && request.url === '/test/mode') {
        hang = Boolean((JSON.parse(await readBody(request)) as { hang?: boolean }).hang)
        return json(response, 200, { hang })
      }
      json(response, 404, {})
    } catch (error) {
      json(response, 400, { error: String(error) })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
