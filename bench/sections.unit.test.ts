import { describe, expect, it } from 'vitest'
import { keepSections, spliceSection } from './sections.mjs'

describe('RESULTS.md sections of the benchmarks that run on their own', () => {
  it('appends a section once, then replaces it in place', () => {
    const once = spliceSection('# Results\n\ntext\n', 'orders-base', 'first')
    const twice = spliceSection(`${once}\nafter\n`, 'orders-base', 'second')
    expect(twice).toBe('# Results\n\ntext\n\n<!-- section:orders-base -->\nsecond\n<!-- /section:orders-base -->\n\nafter\n')
  })

  it('carries every section of the old report into a freshly rendered one', () => {
    const old = spliceSection(spliceSection('# Old\n', 'orders-base', 'a'), 'order-anatomy', 'b')
    const kept = keepSections(old, '# New\n')
    expect(kept).toContain('# New')
    expect(kept).not.toContain('# Old')
    expect(kept).toContain('<!-- section:orders-base -->\na\n<!-- /section:orders-base -->')
    expect(kept).toContain('<!-- section:order-anatomy -->\nb\n<!-- /section:order-anatomy -->')
  })
})
