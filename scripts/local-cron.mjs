// The gateway's cron trigger in local development: wrangler dev never fires crons, so every
// minute, on the minute, `npm start` asks its /__scheduled route (wrangler dev --test-scheduled)
// to run the gateway's scheduled handler, which asks every service for its sweep.
const CRON = '* * * * *'

export function startLocalCron(baseUrl) {
  let timer = null
  function schedule() {
    timer = setTimeout(
      async () => {
        await fetch(`${baseUrl}/__scheduled?cron=${encodeURIComponent(CRON)}`).then(
          (response) => response.body?.cancel(),
          () => undefined,
        )
        schedule()
      },
      60_000 - (Date.now() % 60_000),
    )
  }
  schedule()
  return { stop: () => clearTimeout(timer) }
}
