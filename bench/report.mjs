// bench/RESULTS.md from one run of bench/run.mjs: every figure a median over rounds with its
// range, every comparison a ratio of figures from the same rounds.
import { cell, fixed, quantile, ratios, summarize } from './stats.mjs'
import { renderCacheUnderOrders } from './cache-under-orders.mjs'
import { PEER_TARGETS, peerFigures } from './peer.mjs'
import { orderPollMs } from './load.mjs'

const MiB = 1024 * 1024
const FREE_GZIP_LIMIT = 3 * MiB
const PAID_GZIP_LIMIT = 10 * MiB
const STARTUP_LIMIT_MS = 1000

const verdict = (ok) => (ok ? '**meets**' : '**misses**')
const pct = (summary) => `${cell(summary, 1, 100)} %`
const ms = (summary) => cell(summary, 1)

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n')
}

/**
 * Issue 19's comparison with the peer (bench/peer.mjs): our gateway and the peer in the same
 * rounds. Answers `{ targets, section }`, both empty when the run had no peer slices.
 */
/**
 * Whether the L1 bound's reads ran with the product cache's generation still
 * (bench/l1-bound.mjs): a bump during them measures invalidation, not the bound.
 */
function generationNote(bound) {
  if (!bound.rounds) return ''
  const attempts = bound.rounds
    .map(
      (round) =>
        `waited ${fixed(round.waitedMs / 1000, 1)} s${round.bumpsWhileWaiting === undefined ? '' : `, ${round.bumpsWhileWaiting} bump(s) meanwhile, the last ${fixed(round.lastChangeMs / 1000, 1)} s in`}${round.still ? '' : ' (not still within 60 s)'}, then generation ${round.generationBefore}→${round.generationAfter} during the reads`,
    )
    .join('; ')
  const moved = bound.rounds.filter((round) => round.generationAfter !== round.generationBefore).length
  return `The check waits until the product cache's generation is still (no event left in inventory's
outbox, no bump for 3 s) and counts a round only if the generation did not move during its reads:
inventory's queue consumer bumps it for every product or stock event, and a bump makes every L1
entry unreachable, so such a round would measure invalidation, not the bound. ${bound.rounds.length} attempt(s)
(${attempts}); ${moved} moved during the reads and ${moved === 1 ? 'was' : 'were'} run again.${
    bound.generationStill ? '' : ' **The counted round still saw the generation move: its figure is not about the bound.**'
  }`
}

function peerSection(slices) {
  const figures = peerFigures(slices)
  if (!figures) return { targets: [], section: '' }
  const met = (ok) => (ok ? '**met**' : '**not met**')
  const targets = [
    [
      `authenticated \`GET /api/v1/users/me\`: our gateway ≥ ${PEER_TARGETS.meVsPeer * 100} % of the peer's throughput`,
      pct(figures.me),
      met(figures.met.me),
    ],
    [
      `cached public product read: our gateway's hit ≥ ${PEER_TARGETS.hitVsPeer * 100} % of the peer's forwarded read`,
      pct(figures.hit),
      met(figures.met.hit),
    ],
    [
      `cached public product read: our gateway's hit ≥ ${PEER_TARGETS.hitVsFloor * 100} % of the floor`,
      pct(figures.floor),
      met(figures.met.floor),
    ],
  ]
  const row = (label, key) => [label, `\`${key}\``, cell(figures.rps[key])]
  const section = `### 2b. Against the peer

The peer (bench/peer) is the gateway a team would write with Hono's stock middleware:
\`hono/request-id\`, a JSON log line for every request, \`hono/secure-headers\`, \`hono/cors\`,
\`hono/body-limit\` and \`hono/jwk\` verifying the same ES256 access tokens against users' JWKS
(fetched over the USERS binding, kept 10 minutes), then a forward over the same service bindings:
no rate limiter, circuit breaker, bulkhead, retries or cache. Its one non-stock piece is the
internal credential the services require (the same ES256 claims our gateway signs, one per
principal reused for 15 s as ours does). Our gateway runs as in production, its request log
sampled (\`LOG_SAMPLE_RATE=0.05\`, docs/adr/0052). Both in the same workerd and the same rounds as
section 2; each ratio is taken round by round.

${table(
  ['call', 'variant', 'req/s'],
  [
    row('`GET /api/v1/users/me` through our gateway', 'me-gateway'),
    row('the same through the peer', 'me-peer'),
    row('`GET /api/v1/products/{id}` through our gateway (its cache hit)', 'product-gateway'),
    row("the same through the peer (forwarded: inventory's L1 hit)", 'product-peer'),
    row('the floor', 'floor'),
  ],
)}

${table(['target', 'measured', 'verdict'], targets)}

The peer's forwarded read reaches ${pct(figures.peerVsFloor)} of the floor.`
  return { targets, section }
}

export function render({ command, settings, machine, date, durationS, results, sizes }) {
  const { slices, orders, readModelLag, levels, bound, bytesBound, profiles, startup } = results
  const series = (key, field) => slices[key].map((row) => row[field])
  const rps = (key) => summarize(series(key, 'rps'))
  const ratio = (key, base) => ratios(series(key, 'rps'), series(base, 'rps'))
  const delta = (key, base, field) => summarize(series(key, field).map((value, round) => value - series(base, field)[round]))
  const problems = Object.entries(slices).flatMap(([key, rows]) => {
    const non2xx = rows.reduce((sum, row) => sum + row.non2xx, 0)
    const errors = rows.reduce((sum, row) => sum + row.errors, 0)
    return non2xx || errors ? [`${key}: ${non2xx} non-2xx, ${errors} errors`] : []
  })

  const peer = peerSection(slices)
  const authRatio = ratio('me-gateway', 'me-direct')
  const floorRatio = ratio('product-gateway', 'floor')
  const usageText = (usage) =>
    usage
      ? `${usage.entries} entries, ${usage.bytes} bytes (bounds: ${usage.max_entries} entries, ${usage.max_bytes} bytes)`
      : 'no X-Cache-L1 header'
  const within = (usage) => usage !== null && usage.entries <= usage.max_entries && usage.bytes <= usage.max_bytes
  const boundHeld = bound.recentHits === settings.L1_BOUND && bound.olderHits === 0 && (bound.usage === null || within(bound.usage))
  // Bytes: within its bound, and the bound did bite (fewer entries than keys read).
  const bytesHeld = within(bytesBound.usage) && bytesBound.usage.entries < settings.KEY_SPACE
  const worstGzip = Math.max(...sizes.map((size) => size.gzip))
  // CPU time where /proc gives it (what the platform's limit counts), else wall time.
  const byCpu = Object.values(startup).every(({ ownCpu }) => ownCpu.length > 0)
  const ownStartup = (key) => summarize(byCpu ? startup[key].ownCpu : startup[key].own)
  const worstOwnStartup = Math.max(...Object.keys(startup).map((key) => ownStartup(key).median))
  const levelsVerified = Object.values(levels).every(({ expected, seen }) => expected === seen)

  const httpRow = (label, key) => {
    const summary = rps(key)
    return [label, `\`${key}\``, cell(summary), ms(summarize(series(key, 'p50'))), ms(summarize(series(key, 'p99')))]
  }

  const orderRows = Object.values(orders).map(({ items, concurrency, count, rounds }) => {
    const all = rounds.flatMap((round) => round.times)
    const cancelled = rounds.reduce((sum, round) => sum + round.cancelled + round.errors.length, 0)
    const firstError = rounds.flatMap((round) => round.errors)[0]
    return [
      String(items),
      String(concurrency),
      `${count} × ${rounds.length}`,
      cell(summarize(rounds.map((round) => round.ops)), 2),
      cell(summarize(rounds.map((round) => round.p50))),
      fixed(quantile(all, 0.99)),
      firstError ? `${cancelled} (${firstError.slice(0, 120)})` : String(cancelled),
    ]
  })

  // Machine time per request at saturation (1000 / req/s), stage by stage.
  const cost = (key) => 1000 / rps(key).median
  // Each path's full variant, the gateway's own cache off as in the variants that take it apart:
  // the product read an L1 hit in inventory; users/me `me-nocache` (a results.json from before
  // it was measured: `me-gateway`).
  const top = (path) => (path === 'product' ? 'product-l1' : slices[`${path}-nocache`] ? `${path}-nocache` : `${path}-gateway`)
  const stages = (path) => [
    ['the floor: a bare Worker (hello)', cost('floor')],
    ['the service itself, beyond the floor (direct − floor)', cost(`${path}-direct`) - cost('floor')],
    [
      'the gateway: its middleware, credential and service-binding hop (bare gateway − direct)',
      cost(`${path}-bare`) - cost(`${path}-direct`),
    ],
    ['the resilience layer: bulkhead, breaker, timeout, retry (limiter off − bare)', cost(`${path}-nolimiter`) - cost(`${path}-bare`)],
    ['the rate limiter: leases, and a Durable Object call per lease (gateway − limiter off)', cost(top(path)) - cost(`${path}-nolimiter`)],
  ]
  const stageTable = (label, path) =>
    table(
      [`stage (${label})`, 'ms of machine time per request', 'share'],
      stages(path).map(([name, value]) => [name, fixed(value, 3), `${fixed((value / cost(top(path))) * 100, 0)} %`]),
    )
  const profileSection = (label, profile) =>
    profile ? profileTables(label, profile) : `**${label}**: no profile in this run (the inspector did not answer in time).`
  const profileTables = (
    label,
    profile,
  ) => `**${label}** (${fixed(profile.busyMs)} ms busy in ${settings.PROFILE_S} s). Self time by component — the bundled module's package or project folder:

${table(['component', 'self ms', 'share of busy'], profileRows(profile.components, 12))}

Top functions:

${table(['function — module', 'self ms', 'share of busy'], profileRows(profile.functions, 12))}`

  const profileRows = (items, limit) =>
    items.slice(0, limit).map(({ key, ms: time, share }) => [`\`${key}\``, fixed(time, 0), `${fixed(share * 100, 1)} %`])

  // The gateway's own stages (beyond the service), the largest first.
  const largestStage = (path) => {
    const [name, value] = stages(path)
      .slice(2)
      .sort((a, b) => b[1] - a[1])[0]
    return `${name.replace(/ \(.*\)$/, '')}, ${fixed(value, 2)} ms of ${fixed(cost(top(path)), 2)} ms per request (${fixed((value / cost(top(path))) * 100, 0)} %)`
  }
  const serviceShare = (path) => `${fixed(((cost(`${path}-direct`) - cost('floor')) / cost(top(path))) * 100, 0)} %`
  const topComponents = (profile) =>
    (profile?.components ?? [])
      .slice(0, 3)
      .map(({ key, share }) => `\`${key}\` ${fixed(share * 100, 0)} %`)
      .join(', ')
  const hitMs = cost('product-gateway') - cost('floor')
  const findings = [
    authRatio.median < settings.TARGETS.authenticated
      ? `- **users/me keeps ${fixed(authRatio.median * 100, 0)} % of the direct call's throughput** (target ${settings.TARGETS.authenticated * 100} %). The service's own work is ${serviceShare('me')} of the time per request through the gateway; the gateway's largest stage is ${largestStage('me')}. In the gateway's profile: ${topComponents(profiles.me)}.`
      : `- users/me through the gateway keeps ${fixed(authRatio.median * 100, 0)} % of the direct call's throughput: meets the ${settings.TARGETS.authenticated * 100} % target.`,
    floorRatio.median < settings.TARGETS.publicReadVsFloor
      ? `- **The cached product read (a gateway cache hit) reaches ${fixed(floorRatio.median * 100, 1)} % of the floor** (target ${settings.TARGETS.publicReadVsFloor * 100} %). A hit costs ${fixed(hitMs, 3)} ms of machine time per request beyond the floor: the gateway's middleware (request id, log line, security headers, policy, the limiter's lease) and the answer from memory. In the gateway's profile: ${topComponents(profiles.product)}.`
      : `- The cached product read (a gateway cache hit) reaches ${fixed(floorRatio.median * 100, 1)} % of the floor: meets the ${settings.TARGETS.publicReadVsFloor * 100} % target. With the gateway's cache off, the same read (an L1 hit in inventory) reaches ${pct(ratio('product-l1', 'floor'))}.`,
  ].join('\n')

  return `# Benchmark results

Command: \`${command}\` (bench/run.mjs; how to read this: bench/README.md). Run ${date}, ${fixed(durationS)} s.

| machine | |
| --- | --- |
| CPU | ${machine.cores} × ${machine.cpu} |
| memory | ${fixed(machine.memoryGiB, 1)} GiB |
| Node | ${machine.node} |
| workerd | ${machine.workerd} |
| Miniflare | ${machine.miniflare} |
| wrangler | ${machine.wrangler} |
| autocannon | ${machine.autocannon} |

**Harness** (every HTTP figure): the production bundles (\`wrangler deploy --dry-run\`) run by
Miniflare's API in one workerd process; each measured Worker listens on a direct socket of its
own on 127.0.0.1 (\`unsafeDirectSockets\`), so no entry Worker or \`wrangler dev\` proxy stands in
front; local D1, KV, queues and Durable Objects persist in a temporary directory under
\`${settings.PERSIST_ROOT}\` (memory-backed by default: on a disk, each durable write waits for an
fsync, and the rate limiter's write per request would measure the disk). Load:
autocannon in the same Node process as the harness, ${settings.CONNECTIONS} connections, in ${settings.ROUNDS} rounds of
${settings.SLICE_S} s slices, one slice per variant per round, the order rotating round by round and
reversed every other round, each slice after its own ${settings.WARMUP_S} s warm-up against the same target,
not measured. A figure is the median over the rounds, with the range (min–max) in brackets; a ratio is taken round by round against the baseline measured in the same round.
"Straight to the service" sends the service the same credential the gateway signs (ES256, a
fresh one per slice, as the gateway reuses one per principal for 15 s), so the service does the
same work. Rate limits are raised so
that the limiter counts but never refuses. Absolute numbers are this machine's; compare ratios.
${problems.length ? `\n**Non-2xx answers or errors during slices**: ${problems.join('; ')}. Throughput counts 2xx answers only; a variant with failures measures them, not the path (\`BENCH_DEBUG=1\` prints workerd's error logs).\n` : ''}
## Targets

${table(
  ['target', 'measured', 'verdict'],
  [
    [
      `authenticated \`GET /api/v1/users/me\` through the gateway ≥ ${settings.TARGETS.authenticated * 100} % of the direct call's throughput`,
      pct(authRatio),
      verdict(authRatio.median >= settings.TARGETS.authenticated),
    ],
    [
      `cached public product read (a gateway cache hit) through the gateway ≥ ${settings.TARGETS.publicReadVsFloor * 100} % of the floor's throughput (issues 7 and 9)`,
      pct(floorRatio),
      verdict(floorRatio.median >= settings.TARGETS.publicReadVsFloor),
    ],
    [
      `L1 within its entries bound (${settings.L1_BOUND}) under ${settings.KEY_SPACE} keys read round-robin`,
      `L1 hits: ${bound.recentHits}/${settings.L1_BOUND} of the last ${settings.L1_BOUND} keys, ${bound.olderHits}/${settings.L1_BOUND} of the ${settings.L1_BOUND} before; ${usageText(bound.usage)}${bound.rounds ? `; generation still during the reads: ${bound.generationStill ? 'yes' : '**no**'} (${bound.rounds.length} attempt(s))` : ''}`,
      verdict(boundHeld),
    ],
    ...peer.targets,
    [`L1 within its bytes bound (${settings.L1_MAX_BYTES} bytes) under the same keys`, usageText(bytesBound.usage), verdict(bytesHeld)],
    [
      'every bundle ≤ 3 MiB gzip (Workers Free; Paid: 10 MiB)',
      `largest ${fixed(worstGzip / 1024)} KiB`,
      verdict(worstGzip <= FREE_GZIP_LIMIT),
    ],
    [
      'start-up < 1 s',
      `slowest Worker's own start-up ${fixed(worstOwnStartup)} ms (${byCpu ? 'CPU' : 'wall'} time)`,
      verdict(worstOwnStartup < STARTUP_LIMIT_MS),
    ],
  ],
)}

## 1. The floor

A bare Hono Worker (bench/hello: one route answering a small JSON body), same runtime and harness.
Below it, the same Worker writing one structured log line per request, the line the gateway
writes for the requests it logs (platform/telemetry/log.ts, through \`console.log\`; every error
but 429, every slow request and a sample of the rest, docs/adr/0052): in this harness
workerd hands each line to Miniflare over a pipe, in the same Node process as the load
generator. That line alone costs ${fixed(cost('floor-log') - cost('floor'), 3)} ms of machine time per request here: with it, the floor keeps ${pct(ratio('floor-log', 'floor'))} of its throughput.

${table(['Worker', 'variant', 'req/s', 'p50 ms', 'p99 ms'], [httpRow('hello (the floor)', 'floor'), httpRow('hello writing one log line per request', 'floor-log')])}

## 2. Through the gateway vs straight to the service

${table(
  ['call', 'variant', 'req/s', 'p50 ms', 'p99 ms'],
  [
    httpRow('`GET /api/v1/products/{id}` through the gateway (gateway cache hit)', 'product-gateway'),
    httpRow('the same, the gateway cache off (inventory answers: L1 hit)', 'product-l1'),
    httpRow('the same, straight to inventory (L1 hit)', 'product-direct'),
    httpRow('`GET /api/v1/users/me` through the gateway (bearer token)', 'me-gateway'),
    httpRow('the same, straight to users', 'me-direct'),
  ],
)}

${table(
  ['comparison', 'throughput ratio', 'Δ p50 ms', 'Δ p99 ms'],
  [
    [
      'product read: gateway (cache hit) / direct',
      pct(ratio('product-gateway', 'product-direct')),
      ms(delta('product-gateway', 'product-direct', 'p50')),
      ms(delta('product-gateway', 'product-direct', 'p99')),
    ],
    [
      'product read: gateway, its cache off / direct',
      pct(ratio('product-l1', 'product-direct')),
      ms(delta('product-l1', 'product-direct', 'p50')),
      ms(delta('product-l1', 'product-direct', 'p99')),
    ],
    [
      'users/me: gateway / direct',
      pct(authRatio),
      ms(delta('me-gateway', 'me-direct', 'p50')),
      ms(delta('me-gateway', 'me-direct', 'p99')),
    ],
    [
      'product read through the gateway (cache hit) / the floor',
      pct(floorRatio),
      ms(delta('product-gateway', 'floor', 'p50')),
      ms(delta('product-gateway', 'floor', 'p99')),
    ],
  ],
)}

Latency is measured at ${settings.CONNECTIONS} concurrent connections, so it includes queueing: at saturation
p50 ≈ connections / throughput.
${peer.section ? `\n${peer.section}\n` : ''}
## 3. Order placement end to end

Through the gateway as the customer: \`POST /api/v1/orders\` (a fresh Idempotency-Key, every item
quantity 1 of a product with ample stock, \`tok_visa\`), then \`GET /api/v1/orders/{id}\` every ${orderPollMs(1)} ms with
one client (every ${orderPollMs(8)} ms with several: polling as often would load what is measured) until it is
no longer \`pending\` (time to \`confirmed\`; a poll adds at most one interval and one GET), then its saga until terminal. Each client
places orders one after another; each batch begins once the system is quiet (what the batch before left behind has run); throughput = orders carried to a terminal saga state / the
batch's wall time. "Not confirmed" counts cancelled orders and calls that failed (the first
error shown). ${settings.ORDER_ROUNDS} rounds, the configurations in turn within each round. p99 is taken over
all rounds' orders of a configuration (with so few orders, it is close to the slowest one).
The polling is load on the same machine, as a client's would be.

${table(['items per order', 'concurrent clients', 'orders (per round × rounds)', 'orders/s', 'p50 ms to confirmed', 'p99 ms to confirmed', 'not confirmed'], orderRows)}

### 3b. Read-model lag under that load

How far \`GET /api/v1/orders\` (the read model, fed by orders' queue consumer) trails the order
itself, for every order placed by the 8-client batches above: when the order's latest state
reached the view (\`order_views.applied_at\`) minus when the order took it (\`updated_at\`).
The consumer applies a whole queue batch in one D1 batch (\`consumeEventBatch\`). Target: p99
under 2 s. ${readModelLag ? `${readModelLag.stillBehind} view(s) still behind their order when read.` : ''}

${readModelLag ? table(['orders', 'p50 ms', 'p99 ms', 'max ms', 'p99 < 2 s'], [[String(readModelLag.orders), fixed(readModelLag.p50), fixed(readModelLag.p99), fixed(readModelLag.max), verdict(readModelLag.p99 < 2000)]]) : '(not measured in this run)'}

## 4. Resilience layer

The same gateway bundle three times in the same workerd, each with its own cache off
(\`GATEWAY_CACHE=off\`, so every request is forwarded and passes the layer): as configured; with
the rate limiter off (\`RATE_LIMITING=off\`); and with the resilience layer (bulkhead, circuit
breaker, per-attempt timeout, retries) off as well (\`RESILIENCE=off\`: a plain service-binding
fetch with a timeout). "With / without" compares the first and the last.

${table(
  ['call', 'with / without (throughput)', 'Δ p50 ms', 'Δ p99 ms'],
  [
    [
      '`GET /api/v1/products/{id}` (anonymous; L1 hit)',
      pct(ratio('product-l1', 'product-bare')),
      ms(delta('product-l1', 'product-bare', 'p50')),
      ms(delta('product-l1', 'product-bare', 'p99')),
    ],
    [
      '`GET /api/v1/users/me` (signed in)',
      pct(ratio(top('me'), 'me-bare')),
      ms(delta(top('me'), 'me-bare', 'p50')),
      ms(delta(top('me'), 'me-bare', 'p99')),
    ],
    [
      'products: the rate limiter alone (gateway / limiter off)',
      pct(ratio('product-l1', 'product-nolimiter')),
      ms(delta('product-l1', 'product-nolimiter', 'p50')),
      ms(delta('product-l1', 'product-nolimiter', 'p99')),
    ],
    [
      'products: the resilience layer alone (limiter off / both off)',
      pct(ratio('product-nolimiter', 'product-bare')),
      ms(delta('product-nolimiter', 'product-bare', 'p50')),
      ms(delta('product-nolimiter', 'product-bare', 'p99')),
    ],
    [
      'users/me: the rate limiter alone',
      pct(ratio(top('me'), 'me-nolimiter')),
      ms(delta(top('me'), 'me-nolimiter', 'p50')),
      ms(delta(top('me'), 'me-nolimiter', 'p99')),
    ],
    [
      'users/me: the resilience layer alone',
      pct(ratio('me-nolimiter', 'me-bare')),
      ms(delta('me-nolimiter', 'me-bare', 'p50')),
      ms(delta('me-nolimiter', 'me-bare', 'p99')),
    ],
  ],
)}

${table(
  ['variant', 'key', 'req/s', 'p50 ms', 'p99 ms'],
  [
    httpRow('products, both off', 'product-bare'),
    httpRow('products, rate limiter off', 'product-nolimiter'),
    ...(slices['me-nocache'] ? [httpRow('users/me, as configured (its cache off)', 'me-nocache')] : []),
    httpRow('users/me, both off', 'me-bare'),
    httpRow('users/me, rate limiter off', 'me-nolimiter'),
  ],
)}

## 5. Cache levels

The same product read through the same gateway bundle: answered by the gateway's own cache
(gateway hit), and, with that cache off, in front of three copies of the inventory bundle (same
D1 and KV): \`CACHE_LEVELS\` \`l1,l2\` (L1 hit), \`l2\` (L2 hit: KV) and \`none\` (source: D1).
Before measuring, each variant's second read was checked for the level it claims
(\`X-Cache-Gateway\` and \`X-Cache\`, shown in development).

${table(
  ['level', 'X-Cache-Gateway / X-Cache expected / seen', 'req/s', 'ratio to L1 hit', 'p50 ms', 'p99 ms', 'non-2xx'],
  [
    ['gateway hit', 'product-gateway', 'gateway'],
    ['L1 hit', 'product-l1', 'l1'],
    ['L2 hit', 'product-l2', 'l2'],
    ['source read', 'product-source', 'source'],
  ].map(([label, key, level]) => [
    label,
    `${levels[level].expected} / ${levels[level].seen ?? 'none'}${levels[level].expected === levels[level].seen ? '' : ' (**not verified**)'}`,
    cell(rps(key)),
    key === 'product-l1' ? '100 %' : pct(ratio(key, 'product-l1')),
    ms(summarize(series(key, 'p50'))),
    ms(summarize(series(key, 'p99'))),
    String(slices[key].reduce((sum, row) => sum + row.non2xx + row.errors, 0)),
  ]),
)}
${levelsVerified ? '' : '\nA level not verified means the variant did not answer from the level it claims: its row measures something else.\n'}
**L1 bound.** A fourth inventory copy with \`CACHE_L1_MAX_ENTRIES=${settings.L1_BOUND}\` (straight to it) read
${settings.KEY_SPACE} products round-robin, twice. An L1 within its bound then holds exactly the last ${settings.L1_BOUND} keys:
read again in the same order they were all L1 hits? ${bound.recentHits}/${settings.L1_BOUND}. The ${settings.L1_BOUND} keys before them, read next:
${bound.olderHits}/${settings.L1_BOUND} L1 hits (seen: ${bound.olderSeen || 'no X-Cache'}). ${
    boundHeld ? 'So the L1 held its bound of entries, no more and no fewer.' : '**The L1 did not behave as an LRU of its bound.**'
  } The L1's own count (\`X-Cache-L1\`, development only): ${usageText(bound.usage)}.
${generationNote(bound)}

A fifth copy bounded by bytes only (\`CACHE_L1_MAX_BYTES=${settings.L1_MAX_BYTES}\`, entries up to the default) read the
same ${settings.KEY_SPACE} keys round-robin, twice: its L1 then held ${usageText(bytesBound.usage)}. ${
    bytesHeld
      ? 'Within its bytes bound, with fewer entries than keys read: the bytes bound evicted.'
      : '**Not within its bytes bound, or the bound never evicted.**'
  }

${results.cacheUnderOrders ? renderCacheUnderOrders(results.cacheUnderOrders) : ''}
## 6. Per Worker

Bundle: the files \`wrangler deploy --dry-run\` writes (no source maps), gzip level 6 here (the
platform's limits apply to the compressed upload: ${FREE_GZIP_LIMIT / MiB} MiB on Workers Free, ${PAID_GZIP_LIMIT / MiB} MiB on Paid).
Start-up: the Worker alone in a fresh Miniflare (its D1, KV, queues and vars; service and
Durable Object bindings dropped), from \`new Miniflare()\` until the first response to \`GET /\` on
its direct socket. workerd parses and runs a Worker's global scope before it listens, so this
includes the bundle's start-up. The baseline is the same, with the same bindings, but the hello
bundle in place of the Worker's: the difference of each round ("own") is the Worker's script —
parse, compile, global scope. "Own CPU" is that difference in the CPU time workerd used from its
start to the first response (/proc/<pid>/stat, 10 ms ticks): what the platform's 1 s start-up
limit counts, and steady under load from elsewhere, which the wall times are not. ${settings.STARTUP_ROUNDS} rounds.

${table(
  ['Worker', 'raw KiB', 'gzip KiB', 'of 3 MiB', 'first response ms', 'baseline ms', 'own ms (wall)', 'own CPU ms'],
  sizes.map(({ name, raw, gzip }) => {
    const times = startup[name]
    if (!times) return [name, fixed(raw / 1024), fixed(gzip / 1024), `${fixed((gzip / FREE_GZIP_LIMIT) * 100, 1)} %`, '–', '–', '–', '–']
    return [
      name,
      fixed(raw / 1024),
      fixed(gzip / 1024),
      `${fixed((gzip / FREE_GZIP_LIMIT) * 100, 1)} %`,
      ms(summarize(times.worker)),
      ms(summarize(times.baseline)),
      ms(summarize(times.own)),
      times.ownCpu.length ? cell(summarize(times.ownCpu)) : '–',
    ]
  }),
)}

## Where the time goes

At saturation the machine's time per request is 1000 / (req/s) ms; subtracting the variants of
the same run splits it by stage (medians; a negative value is within noise).

${stageTable('users/me', 'me')}

${stageTable('product read, the gateway cache off: L1 hit', 'product')}

**CPU profiles of the gateway's isolate** (V8's sampling profiler through workerd's inspector,
${settings.CONNECTIONS} connections, after the measured rounds). The gateway hosts the RateLimiter and
CircuitBreaker Durable Objects, so their JavaScript is in this isolate too; what the runtime does
outside JavaScript (service-binding hops, Durable Object storage, the users and inventory
isolates) is not in it.

${profileSection('`GET /api/v1/users/me` through the gateway', profiles.me)}

${profileSection('`GET /api/v1/products/{id}` through the gateway (gateway cache hit)', profiles.product)}

## Findings and fixes within reach

${findings}

Done in issue 9 (each measured on this suite's harness, the previous gateway bundle beside the new one in one workerd):

- **The user's access token is verified at most once a minute per isolate**, not per request
  (workers/gateway/src/auth/access-token.ts): a bounded LRU (platform/cache/lru.ts) of
  successfully verified tokens, keyed by the token's SHA-256, each kept until the token's \`exp\`
  or 60 s, whichever is sooner (a key withdrawn from the JWKS stops being honoured within 60 s of
  the gateway's key set dropping it). A token that does not verify is never cached.
- **The request log line** (platform/telemetry/log.ts, redact.ts): text is scanned for secret
  shapes only when one of their literal prefixes occurs, field-name verdicts are remembered
  (bounded), and no merged copy of the fields is made when the logger has no bound fields. Same
  fields, same redaction.
- **The resilience layer**: an admission from the isolate's breaker copy is answered without a
  promise, a per-attempt timeout is one promise (not a race of two), the retry budget keeps its
  current bucket, and \`Retry-After\` is read only from an answer that may be retried. Same
  behaviour; what remains per request is the timer and AbortController of the attempt's timeout.
- **The gateway credential is signed once per service and principal every 15 s**, not per
  forwarded request (\`reuseCredentials\`, platform/auth/internal-credential.ts; ADR 0002), when
  no trace context is carried; the services take the request id from \`X-Request-Id\`.
- **The rate limiter leases units to the isolate** (ADR 0040;
  workers/gateway/src/middleware/rate-limit-lease.ts): a busy key's object grants the isolate up
  to 5 % of the limit (at most 64 units) beyond the request that asked; later requests spend them
  with no Durable Object call, a refill runs after the response once half is spent, and units
  unspent after 1 s go back. Never more than the limit across isolates; small policies (login,
  register) stay one exact call per request. This took the limiter from 28 % of an authenticated
  request's time to the figure in the breakdown above.
- **The gateway answers anonymous public reads from its own memory** (ADR 0039;
  workers/gateway/src/gateway-cache): inventory says until when its answer is known current (its
  last stamp check plus \`CACHE_GENERATION_CHECK_MS\`), and the gateway keeps the answer
  until then, so the 1 s staleness bound holds end to end. A hit signs no credential and calls
  no service; every middleware before \`forward\` still runs.

What a request still costs, and what would cut it further (not done; each is a change to
measure with this suite):

1. **The request log line**: one structured line costs ${fixed(cost('floor-log') - cost('floor'), 3)} ms per request in this
   harness (section 1) — ${fixed(((cost('floor-log') - cost('floor')) / cost('product-gateway')) * 100, 0)} % of a gateway cache hit's time. The gateway now writes it only
   for errors (but 429), slow requests and a sample of the rest (\`LOG_SAMPLE_RATE\`, 0.05 in
   production and in this run; docs/adr/0052), and the RED metrics still count every request.
2. **The gateway's middleware on a cache hit**: request id, the log line, security headers,
   CORS, header and body limits, authentication, the policy table, deprecation, the limiter's
   lease, then a Response built from the kept answer. Each is small; together they are what a
   hit costs beyond the floor. Reaching half the floor would need the whole pipeline to cost about
   as much as a bare Hono route, which no change to one step gives.
3. **The gateway credential's verification** in each service: an ES256 verification per call
   (the service's side of ADR 0002). A request carrying trace context still gets a credential
   signed for it alone (its \`tp\` claim belongs to that request).

The profiles count what happens synchronously under a JavaScript call (a \`fetch\` to a service
binding or a Durable Object stub) to that call; time spent in other isolates or waiting on I/O
is not in them, which is why the stage breakdown (by subtraction) is the primary figure.

## Raw slices (req/s per round)

${table(
  ['variant', ...Array.from({ length: settings.ROUNDS }, (_, index) => `round ${index + 1}`)],
  Object.entries(slices).map(([key, rows]) => [key, ...rows.map((row) => fixed(row.rps))]),
)}
`
}
