// A small admin client for the local system's operations API (events:replay, the replay on
// start-up, the chaos run): signs in as the development admin and calls admin routes.
//   ADMIN_EMAIL / ADMIN_PASSWORD   the admin (default: the development admin)

const DEV_ADMIN = { email: 'admin@example.com', password: 'admin-password-change-me' }

/** Signs in through the gateway; answers a function that calls admin routes with the token. */
export async function adminSession(
  baseUrl,
  { email = process.env.ADMIN_EMAIL ?? DEV_ADMIN.email, password = process.env.ADMIN_PASSWORD ?? DEV_ADMIN.password } = {},
) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (!login.ok) throw new Error(`admin login failed: ${login.status} ${await login.text()}`)
  const { access_token: token } = await login.json()
  return async function admin(method, path, body) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : null }
  }
}

/** POST /api/v1/admin/events/replay; throws unless it was accepted. */
export async function replayEvents(admin, request) {
  const answer = await admin('POST', '/api/v1/admin/events/replay', request)
  if (answer.status !== 202) throw new Error(`replay refused: ${answer.status} ${JSON.stringify(answer.body)}`)
  return answer.body.replayed
}
