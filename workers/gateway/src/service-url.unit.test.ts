import { describe, expect, it } from 'vitest'
import { serviceUrl } from './service-url'

describe('serviceUrl', () => {
  it.each([
    ['https://api.example/api/v1/products/prd_1', 'https://inventory.internal/api/v1/products/prd_1'],
    ['https://api.example/api/v1/products?limit=5&cursor=a', 'https://inventory.internal/api/v1/products?limit=5&cursor=a'],
    ['https://api.example/api/v1/products?', 'https://inventory.internal/api/v1/products'],
    ['https://api.example/api/v1//products/', 'https://inventory.internal/api/v1/products'],
    ['https://api.example/api/v1/products/prd%201?q=%2F', 'https://inventory.internal/api/v1/products/prd%201?q=%2F'],
    ['https://api.example:8787/api/v1/products#top', 'https://inventory.internal/api/v1/products'],
    ['https://api.example/', 'https://inventory.internal/'],
  ])('cuts the path and query of %s as URL gives them, canonical', (url, expected) => {
    const request = new Request(url)
    expect(serviceUrl('inventory', request.url)).toBe(expected)
    const parsed = new URL(request.url)
    expect(expected).toContain(parsed.search)
  })
})
