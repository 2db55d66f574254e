// The plan as a person reads it: every resource, secret (by name, never a value), migration
// and deploy, in the order the deploy performs them.
export function formatPlan(plan) {
  const lines = [`Plan for ${plan.env}:`, '', 'Resources (found by name, created if missing):']
  for (const resource of plan.resources) {
    const what = { d1: 'D1 database ', kv: 'KV namespace', queue: 'queue       ' }[resource.kind]
    lines.push(`  ${what} ${resource.name}${resource.worker ? `  (${resource.worker} ${resource.binding})` : ''}`)
  }
  lines.push('', 'Signing keys (generated once; the public half recorded as a var, the private half a secret):')
  for (const pair of plan.keyPairs) lines.push(`  ${pair.holder}: secret ${pair.secret}, var ${pair.record}`)
  lines.push('', 'Secrets (wrangler secret bulk, values never shown):')
  for (const { script, names } of plan.secrets) if (names.length > 0) lines.push(`  ${script}: ${names.join(', ')}`)
  lines.push('', 'Then, Worker by Worker (service-binding targets first), migrations before each deploy:')
  plan.deploys.forEach(({ worker, script }, index) => {
    for (const migration of plan.migrations.filter((m) => m.worker === worker)) {
      lines.push(`  migrate ${migration.database} (binding ${migration.binding}, remote)`)
    }
    lines.push(`  ${index + 1}. deploy ${script}`)
  })
  return lines.join('\n')
}
