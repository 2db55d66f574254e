import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest'
import { ensureChromium } from '../../scripts/ensure-chromium.mjs'
import { buildOpenApiDocument } from '../../shared-contracts/openapi'
import { createContract, type ObservedResponse } from '../support/contract'

// The API reference as a reader sees it: Debian's chromium, headless, against `npm start`.
// SCREENSHOT=1 also writes docs/api-docs.png (the picture in docs/api.md).

const baseUrl = inject('baseUrl')
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

let profile: string
let context: BrowserContext

beforeAll(async () => {
  const executablePath = ensureChromium()
  profile = mkdtempSync(join(tmpdir(), 'edge-commerce-chromium-'))
  context = await chromium.launchPersistentContext(profile, { executablePath, args: ARGS, viewport: { width: 1280, height: 1600 } })
}, 300_000)

afterAll(async () => {
  await context?.close()
  if (profile) rmSync(profile, { recursive: true, force: true })
})

async function observe(answer: Response) {
  const headers = new Headers(await answer.allHeaders())
  const text = answer.status() === 304 ? '' : (await answer.body()).toString('utf8')
  const body = text && headers.get('Content-Type')?.includes('json') ? (JSON.parse(text) as unknown) : text || null
  return { method: answer.request().method(), url: answer.url(), observed: { status: answer.status(), headers, body } }
}

describe('GET /docs in a browser', () => {
  it('renders every operation of the spec, with no console error and no request beyond the gateway', async () => {
    const page = await context.newPage()
    const errors: string[] = []
    const requests: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('request', (request) => requests.push(request.url()))
    // A page load is several anonymous requests: none may be refused (rate limit) or fail.
    const failed: string[] = []
    const answers: Promise<{ method: string; url: string; observed: ObservedResponse }>[] = []
    page.on('response', (answer) => {
      if (answer.status() >= 400) failed.push(`${answer.status()} ${answer.url()}`)
      if (!answer.url().startsWith('data:')) answers.push(observe(answer))
    })

    const response = await page.goto(`${baseUrl}/docs`, { waitUntil: 'load' })
    expect(response?.status()).toBe(200)
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 })

    const document = buildOpenApiDocument()
    const expected = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    )
    const shown = await page
      .locator('.opblock-summary')
      .evaluateAll((blocks) =>
        blocks.map(
          (block) =>
            `${block.querySelector('.opblock-summary-method')?.textContent?.trim()} ${block.querySelector('[data-path]')?.getAttribute('data-path')}`,
        ),
      )
    expect(shown.sort()).toEqual(expected.sort())
    await expect.poll(() => page.locator('.opblock.opblock-deprecated').count()).toBe(1)
    await expect.poll(() => page.locator('.info .title').textContent()).toContain('edge-commerce API')

    if (process.env.SCREENSHOT === '1') await page.screenshot({ path: 'docs/api-docs.png' })
    expect(errors).toEqual([])
    expect(failed).toEqual([])
    // The browser's answers are end-to-end answers too: each must be one the document describes.
    const contract = createContract(document)
    expect(answers.length).toBeGreaterThanOrEqual(5) // the page, its three files and the document
    const violations = (await Promise.all(answers)).flatMap(({ method, url, observed }) => contract.violations(method, url, observed))
    expect(violations).toEqual([])
    const origin = new URL(baseUrl).origin
    expect(requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([])
    expect(requests).toEqual(expect.arrayContaining([`${origin}/docs/swagger-ui-bundle.js`, `${origin}/openapi.json`]))
  })
})
