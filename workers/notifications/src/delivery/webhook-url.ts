/**
 * Where the webhook may send notifications (OWASP API7, server-side request forgery). The URL is
 * configuration, not user input, yet a wrong or tampered value must not turn the notifications
 * Worker into a way to reach internal services: the host must be on an explicit allow-list, the
 * scheme https, no credentials in the URL, and never a private, loopback, link-local or metadata
 * address. Redirects are never followed (webhook.ts), so the checked host is the only host.
 */
export interface WebhookUrlPolicy {
  /** Host names (or addresses) the webhook may be sent to: NOTIFICATION_WEBHOOK_ALLOWED_HOSTS. */
  allowedHosts: readonly string[]
  /** Local development and tests only: plain http and private addresses (a receiver on 127.0.0.1). */
  allowPrivateNetwork?: boolean
}

/** The WHATWG parser's form of a host, so `0x7f.1`, `2130706433` and `127.0.0.1` compare equal. */
function canonicalHost(host: string): string | null {
  try {
    return new URL(`https://${host.trim()}/`).hostname
  } catch {
    return null
  }
}

const inRange = (address: number, base: number, bits: number) => bits === 0 || address >>> (32 - bits) === base >>> (32 - bits)

// Not routable on the internet: this host, private networks, CGNAT, link-local (cloud metadata at
// 169.254.169.254), benchmarking, documentation, multicast and reserved.
const PRIVATE_V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
]

function ipv4ToNumber(address: string): number | null {
  const parts = address.split('.')
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null
  return parts.reduce((value, part) => value * 256 + Number(part), 0)
}

function isPrivateV4(address: string): boolean {
  const value = ipv4ToNumber(address)
  return value !== null && PRIVATE_V4.some(([base, bits]) => inRange(value, ipv4ToNumber(base)!, bits))
}

/** Eight 16-bit groups of an IPv6 address as the URL parser writes it (compressed, hex, no brackets). */
function ipv6Groups(address: string): number[] | null {
  const [head, tail, ...rest] = address.split('::')
  if (rest.length > 0) return null
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : [])
  const first = parse(head)
  const last = parse(tail)
  const groups = tail === undefined ? first : [...first, ...Array(8 - first.length - last.length).fill(0), ...last]
  return groups.length === 8 && groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? groups : null
}

function isPrivateV6(address: string): boolean {
  const groups = ipv6Groups(address)
  if (!groups) return true // not an address we can read: refuse it
  const [a, b, c, d, e, f, g, h] = groups as [number, number, number, number, number, number, number, number]
  const embeddedV4 = `${g >> 8}.${g & 0xff}.${h >> 8}.${h & 0xff}`
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && (f === 0 || f === 0xffff)) {
    return f === 0 && g === 0 ? true : isPrivateV4(embeddedV4) // ::, ::1, IPv4-compatible and IPv4-mapped
  }
  if (a === 0x64 && b === 0xff9b) return isPrivateV4(embeddedV4) // NAT64
  if (a === 0x2002) return isPrivateV4(`${b >> 8}.${b & 0xff}.${c >> 8}.${c & 0xff}`) // 6to4
  return (
    (a & 0xfe00) === 0xfc00 ||
    (a & 0xffc0) === 0xfe80 ||
    (a & 0xffc0) === 0xfec0 ||
    (a & 0xff00) === 0xff00 ||
    (a === 0x2001 && b === 0xdb8)
  )
}

const PRIVATE_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$|^metadata$/i

/** Whether a host (as URL.hostname gives it) is, or names, a place the internet cannot reach. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  if (host.startsWith('[')) return isPrivateV6(host.slice(1, -1))
  if (ipv4ToNumber(host) !== null) return isPrivateV4(host)
  return PRIVATE_NAMES.test(host) || !host.includes('.')
}

/** Validates the webhook URL against the policy, once, at creation. Messages never repeat the URL. */
export function parseWebhookUrl(raw: string, policy: WebhookUrlPolicy): URL {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new Error('NOTIFICATION_WEBHOOK_URL is not a URL')
  }
  const schemes = policy.allowPrivateNetwork ? ['https:', 'http:'] : ['https:']
  if (!schemes.includes(url.protocol))
    throw new Error(`NOTIFICATION_WEBHOOK_URL must be ${policy.allowPrivateNetwork ? 'http(s)' : 'https'}`)
  if (url.username || url.password) throw new Error('NOTIFICATION_WEBHOOK_URL must not embed credentials')
  const allowed = policy.allowedHosts.map(canonicalHost).filter((host): host is string => host !== null)
  if (!allowed.includes(url.hostname)) throw new Error('NOTIFICATION_WEBHOOK_URL: its host is not in NOTIFICATION_WEBHOOK_ALLOWED_HOSTS')
  if (!policy.allowPrivateNetwork && isPrivateHost(url.hostname))
    throw new Error('NOTIFICATION_WEBHOOK_URL must not point at a private, loopback or link-local address')
  return url
}
