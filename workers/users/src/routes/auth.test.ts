import { describe, expect, it } from 'vitest'
import { callUsers, uniqueEmail } from '../test-client'

const password = 'correct horse battery'

describe('POST /api/v1/auth/register', () => {
  it('creates a customer and answers the user without any secret', async () => {
    const email = uniqueEmail()
    const response = await callUsers('/api/v1/auth/register', { method: 'POST', body: { email, password, name: 'Ada' } })
    expect(response.status).toBe(201)
    const user = await response.json()
    expect(Object.keys(user as object).sort()).toEqual(['created_at', 'email', 'id', 'name', 'roles'])
    expect(user).toMatchObject({ email, name: 'Ada', roles: ['customer'] })
  })
})
