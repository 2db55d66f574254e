import { describe, expect, it } from 'vitest'
import { createDelivery } from './select'
import { createWebhookDelivery } from './webhook'
import { isPrivateHost } from './webhook-url'
import { testNotification } from './test-notification'

// OWASP API7:2023 Server Side Request Forgery. The one place the system fetches a URL is the
// notifications webhook adapter; no public route takes a URL. Its URL is configuration, checked
// at creation against an allow-list and the addresses the internet cannot reach, and a redirect
// is never followed. This runs the adapter itself in workerd, in the notifications project (it
// cannot be reached through the gateway); webhook.unit.test.ts drives it against a real HTTP
// receiver (redirects, timeouts, size caps).
const ALLOWED = ['hooks.example.com']
const production =
  (url: string, allowedHosts = ALLOWED) =>
  () =>
    createWebhookDelivery({ url, allowedHosts })

const notification = testNotification()

describe('only allowed hosts', () => {
  it('accepts an https URL on an allowed host', () => {
    expect(production('https://hooks.example.com/notify')().name).toBe('webhook')
    expect(production('https://HOOKS.example.com:8443/notify?token=t')().name).toBe('webhook')
  })

  it.each([
    ['another host', 'https://evil.example/notify'],
    ['an allowed name as a prefix', 'https://hooks.example.com.evil.example/notify'],
    ['an allowed name as a suffix', 'https://evilhooks.example.com/notify'],
    ['a subdomain of an allowed host', 'https://a.hooks.example.com/notify'],
    ['the allowed name in the userinfo', 'https://hooks.example.com@evil.example/notify'],
    ['the allowed name after a fragment', 'https://evil.example#@hooks.example.com/'],
    ['the allowed name in the query', 'https://evil.example/?hooks.example.com'],
  ])('refuses %s', (_, url) => {
    expect(production(url)).toThrow(/NOTIFICATION_WEBHOOK_URL/)
  })

  it('refuses any URL when no host is allowed', () => {
    expect(production('https://hooks.example.com/notify', [])).toThrow(/NOTIFICATION_WEBHOOK_ALLOWED_HOSTS/)
  })
})

describe('no private, loopback, link-local or metadata address, even when allow-listed', () => {
  it.each([
    ['loopback', 'https://127.0.0.1/'],
    ['loopback elsewhere in 127/8', 'https://127.1.2.3/'],
    ['loopback as a decimal number', 'https://2130706433/'],
    ['loopback in hex', 'https://0x7f.1/'],
    ['loopback in octal', 'https://017700000001/'],
    ['loopback, short form', 'https://127.1/'],
    ['this host', 'https://0.0.0.0/'],
    ['a private network (10/8)', 'https://10.0.0.5/'],
    ['a private network (172.16/12)', 'https://172.31.255.255/'],
    ['a private network (192.168/16)', 'https://192.168.1.1/'],
    ['carrier-grade NAT', 'https://100.64.0.1/'],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data/'],
    ['the metadata address in hex', 'https://0xa9fea9fe/'],
    ['IPv6 loopback', 'https://[::1]/'],
    ['IPv6 unspecified', 'https://[::]/'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/'],
    ['IPv4-mapped IPv6 metadata', 'https://[::ffff:169.254.169.254]/'],
    ['IPv6 link-local', 'https://[fe80::1]/'],
    ['IPv6 unique local', 'https://[fd00::1]/'],
    ['NAT64 of a private address', 'https://[64:ff9b::a00:1]/'],
    ['6to4 of loopback', 'https://[2002:7f00:1::]/'],
    ['localhost', 'https://localhost/'],
    ['a localhost subdomain', 'https://api.localhost/'],
    ['a metadata name', 'https://metadata.google.internal/'],
    ['a single-label name', 'https://metadata/'],
  ])('refuses %s', (_, url) => {
    const host = new URL(url).host
    // Allow-listed in every spelling: the address check still refuses it.
    expect(production(url, [host, new URL(url).hostname])).toThrow(/must not point at a private, loopback or link-local address/)
  })

  it('tells public addresses from private ones', () => {
    for (const host of ['hooks.example.com', '93.184.216.34', '[2606:4700::1111]', '8.8.8.8']) expect(isPrivateHost(host)).toBe(false)
    for (const host of ['127.0.0.1', '[::1]', '169.254.169.254', 'localhost', '[fe80::1]']) expect(isPrivateHost(host)).toBe(true)
  })
})

describe('https only, no credentials', () => {
  it.each([
    ['plain http', 'http://hooks.example.com/notify'],
    ['ftp', 'ftp://hooks.example.com/notify'],
    ['file', 'file:///etc/passwd'],
    ['gopher', 'gopher://hooks.example.com/_SET'],
    ['data', 'data:text/plain,hi'],
    ['javascript', 'javascript:alert(1)'],
    ['credentials', 'https://user:secret@hooks.example.com/notify'],
    ['a user name', 'https://user@hooks.example.com/notify'],
  ])('refuses %s without repeating the URL', (_, url) => {
    expect(production(url)).toThrow(/NOTIFICATION_WEBHOOK_URL/)
    expect(() => production(url)()).not.toThrow(/secret|passwd/)
  })
})

describe('the Worker builds its adapter from configuration', () => {
  it('refuses a loopback webhook in production, allows it in local development', () => {
    const settings = { url: 'http://127.0.0.1:9999/hook', allowedHosts: ['127.0.0.1'] }
    expect(() => createDelivery({ ...settings, environment: 'production' })).toThrow(/NOTIFICATION_WEBHOOK_URL/)
    expect(createDelivery({ ...settings, environment: 'development' }).name).toBe('webhook')
  })
})

describe('redirects', () => {
  it('are never followed: a 302 towards the metadata address is a failed delivery, one request made', async () => {
    const requests: Array<{ url: string; redirect: RequestInit['redirect'] }> = []
    const receiver: typeof fetch = async (input, init) => {
      requests.push({ url: String(input), redirect: init?.redirect })
      return new Response(null, { status: 302, headers: { Location: 'http://169.254.169.254/latest/meta-data/' } })
    }
    const delivery = createWebhookDelivery({ url: 'https://hooks.example.com/notify', allowedHosts: ALLOWED, fetch: receiver })
    expect(await delivery.deliver(notification)).toEqual({ delivered: false, reason: 'redirect_302' })
    expect(requests).toEqual([{ url: 'https://hooks.example.com/notify', redirect: 'manual' }])
  })
})
