import { buildSystem, startSystem } from './order-system.mjs'
import { placeOrders } from './load.mjs'
import { profileWorker } from './profile.mjs'
import { BUILD_ROOT } from './harness.mjs'
const { built } = await buildSystem()
const system = await startSystem(Object.values(built), { inspector: true })
try {
  await placeOrders(system.url.gateway, system.token, system.products, { items: 1, concurrency: 1, count: 5 })
  const conc = Number(process.env.C ?? 1)
  let loadP
  const load = () => (loadP ??= placeOrders(system.url.gateway, system.token, system.products, { items: 1, concurrency: conc, count: 60 }))
  const names = (process.env.W ?? 'orders').split(',')
  const results = await Promise.all(names.map((n) => profileWorker(system, n, `${BUILD_ROOT}/${n}/index.js`, load)))
  const r = await loadP
  console.log('p50', r.p50, 'ops', r.ops)
  names.forEach((n, i) => {
    const p = results[i]
    console.log(`\n== ${n}: busy ${p.busyMs.toFixed(0)} ms idle ${p.idleMs.toFixed(0)} ms (per order ${(p.busyMs / 60).toFixed(2)} ms)`)
    for (const c of p.components.slice(0, 12)) console.log(`  ${(c.ms / 60).toFixed(3)} ms/order ${(c.share * 100).toFixed(1)}% ${c.key}`)
    console.log('  -- functions')
    for (const c of p.functions.slice(0, 15)) console.log(`  ${(c.ms / 60).toFixed(3)} ms/order ${(c.share * 100).toFixed(1)}% ${c.key}`)
  })
} finally {
  await system.stop()
}
