// Makes sure Debian's `chromium` is installed for the headless docs test (test/e2e/docs.test.ts):
// installs it with apt-get when /usr/bin/chromium is missing and we are root (CI starts from a
// fresh machine); anyone else gets a clear message saying what to install.
//   node scripts/ensure-chromium.mjs
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

export const CHROMIUM_PATH = '/usr/bin/chromium'

function run(command, args) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with status ${result.status}`)
}

/** Answers the browser's path, installing Debian's package first if needed. */
export function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's chromium package (sudo apt-get install -y chromium) and run the tests again.`,
    )
  }
  console.log(`${CHROMIUM_PATH} is missing: installing Debian's chromium package.`)
  run('apt-get', ['update'])
  run('apt-get', ['install', '-y', 'chromium'])
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium, but ${CHROMIUM_PATH} is still missing.`)
  return CHROMIUM_PATH
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(ensureChromium())
