import { describe, expect, it } from 'vitest'
import { ApiClient, ApiError, queryString, type Tokens } from './client'
import { memoryTokenStore } from '../lib/tokens'

interface Call {
  url: string
  method: string
  authorization: string | undefined
  requestedWith: string | undefined
  credentials: RequestCredentials | undefined
  idempotencyKey: string | undefined
  body: unknown
}

/** A scripted server: answers each call with the next response and records what it got. */
function fakeServer(responses: Array<(call: Call) => Response>) {
  const calls: Call[] = []
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      authorization: headers.Authorization,
      requestedWith: headers['X-Requested-With'],
      credentials: init?.credentials,
      idempotencyKey: headers['Idempotency-Key'],
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    }
    calls.push(call)
    const next = responses.shift()
    if (!next) throw new Error(`unexpected request ${call.method} ${call.url}`)
    return next(call)
  }
  return { calls, fetch: fetchImpl as typeof fetch }
}

const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

const expired = json(401, { error: { code: 'not_authenticated', message: 'token expired', details: null } })
const OLD: Tokens = { access_token: 'old-access' }

describe('ApiClient', () => {
  it('sends the bearer token and the JSON body', async () => {
    const server = fakeServer([json(201, { id: 7 })])
    const client = new ApiClient({ tokens: memoryTokenStore(OLD), fetch: server.fetch })

    const created = await client.post<{ id: number }>('/api/v1/bookings', { guests: 2 })

    expect(created.id).toBe(7)
    expect(server.calls[0].authorization).toBe('Bearer old-access')
    expect(server.calls[0].body).toEqual({ guests: 2 })
  })

  it('sends one Idempotency-Key with every copy of a create, the retry after a refresh too', async () => {
    const server = fakeServer([expired, json(200, { access_token: 'new-access' }), json(201, { id: 8 })])
    const client = new ApiClient({ tokens: memoryTokenStore(OLD), fetch: server.fetch })

    await client.post('/api/v1/orders', { items: [] }, { idempotencyKey: 'order-1' })

    expect(server.calls.map((c) => c.idempotencyKey)).toEqual(['order-1', undefined, 'order-1'])
  })

  it('refreshes an expired access token once through the cookie and retries the request', async () => {
    const server = fakeServer([
      expired,
      json(200, { access_token: 'new-access', refresh_token: null, token_type: 'bearer', expires_in: 1800 }),
      json(200, { email: 'guest@premier.test' }),
    ])
    const tokens = memoryTokenStore(OLD)
    const client = new ApiClient({ tokens, fetch: server.fetch })

    const me = await client.get<{ email: string }>('/api/v1/auth/me')

    expect(me.email).toBe('guest@premier.test')
    expect(server.calls.map((c) => c.url)).toEqual(['/api/v1/auth/me', '/api/v1/auth/refresh', '/api/v1/auth/me'])
    // The refresh token is the httpOnly cookie: nothing in the body, the page's header on.
    expect(server.calls[1].body).toBeUndefined()
    expect(server.calls[1].authorization).toBeUndefined()
    expect(server.calls[1].requestedWith).toBe('premier-web')
    expect(server.calls[1].credentials).toBe('same-origin')
    expect(server.calls[2].authorization).toBe('Bearer new-access')
    expect(tokens.get()).toEqual({ access_token: 'new-access' })
  })

  it('restores a session on page load from the cookie, quietly when there is none', async () => {
    const server = fakeServer([
      json(200, { access_token: 'restored', refresh_token: null, token_type: 'bearer', expires_in: 1800 }),
      json(401, { error: { code: 'invalid_token', message: 'no refresh token; sign in first', details: null } }),
    ])
    const tokens = memoryTokenStore(null)
    let expiredCalls = 0
    const client = new ApiClient({ tokens, fetch: server.fetch, onSessionExpired: () => expiredCalls++ })

    expect(await client.restoreSession()).toBe(true)
    expect(tokens.get()).toEqual({ access_token: 'restored' })
    tokens.set(null)
    expect(await client.restoreSession()).toBe(false)
    expect(tokens.get()).toBeNull()
    expect(expiredCalls).toBe(0)
  })

  it('restoring twice at once spends the cookie once', async () => {
    const server = fakeServer([json(200, { access_token: 'restored', refresh_token: null })])
    const client = new ApiClient({ tokens: memoryTokenStore(null), fetch: server.fetch })

    const results = await Promise.all([client.restoreSession(), client.restoreSession()])

    expect(results).toEqual([true, true])
    expect(server.calls).toHaveLength(1)
  })

  it('refreshes under the lock the tabs share', async () => {
    const server = fakeServer([expired, json(200, { access_token: 'new-access' }), json(200, { n: 1 })])
    const held: string[] = []
    const client = new ApiClient({
      tokens: memoryTokenStore(OLD),
      fetch: server.fetch,
      withRefreshLock: async (refresh) => {
        held.push('taken')
        const result = await refresh()
        held.push('released')
        return result
      },
    })

    await client.get('/api/v1/a')

    expect(held).toEqual(['taken', 'released'])
  })

  it('signs out on the server and forgets the access token even when that fails', async () => {
    const server = fakeServer([
      () => new Response(null, { status: 204 }),
      () => new Response('<html>Bad gateway</html>', { status: 502 }),
    ])
    const tokens = memoryTokenStore(OLD)
    const client = new ApiClient({ tokens, fetch: server.fetch })

    await client.logout()
    expect(server.calls[0].url).toBe('/api/v1/auth/logout')
    expect(server.calls[0].requestedWith).toBe('premier-web')
    expect(tokens.get()).toBeNull()

    tokens.set(OLD)
    await expect(client.logout()).rejects.toMatchObject({ status: 502 })
    expect(tokens.get()).toBeNull()
  })

  it('shares one refresh between requests that fail together', async () => {
    const server = fakeServer([
      expired,
      expired,
      json(200, { access_token: 'new-access', refresh_token: null }),
      json(200, { n: 1 }),
      json(200, { n: 2 }),
    ])
    const client = new ApiClient({ tokens: memoryTokenStore(OLD), fetch: server.fetch })

    const results = await Promise.all([client.get('/api/v1/a'), client.get('/api/v1/b')])

    expect(results).toHaveLength(2)
    expect(server.calls.filter((c) => c.url === '/api/v1/auth/refresh')).toHaveLength(1)
  })

  it('signs out when the refresh token is refused, without looping', async () => {
    const server = fakeServer([
      expired,
      json(401, { error: { code: 'not_authenticated', message: 'refresh token expired', details: null } }),
    ])
    const tokens = memoryTokenStore(OLD)
    let expiredCalls = 0
    const client = new ApiClient({ tokens, fetch: server.fetch, onSessionExpired: () => expiredCalls++ })

    const error = await client.get('/api/v1/bookings').catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(401)
    expect(tokens.get()).toBeNull()
    expect(expiredCalls).toBe(1)
    expect(server.calls).toHaveLength(2)
  })

  it('does not try to refresh when nobody is signed in', async () => {
    const server = fakeServer([expired])
    const client = new ApiClient({ tokens: memoryTokenStore(null), fetch: server.fetch })

    await expect(client.get('/api/v1/auth/me')).rejects.toMatchObject({ status: 401 })
    expect(server.calls).toHaveLength(1)
  })

  it('turns validation errors into readable per-field messages', async () => {
    const server = fakeServer([
      json(422, {
        error: {
          code: 'validation_error',
          message: 'body.email: value is not a valid email address',
          details: [
            { field: 'body.email', message: 'value is not a valid email address', type: 'value_error' },
            { field: 'body.password', message: 'Value error, too short', type: 'value_error' },
          ],
        },
      }),
    ])
    const client = new ApiClient({ tokens: memoryTokenStore(null), fetch: server.fetch })

    const error = (await client.post('/api/v1/auth/register', {}).catch((e: unknown) => e)) as ApiError

    expect(error.code).toBe('validation_error')
    expect(error.fieldErrors).toEqual({ email: 'value is not a valid email address', password: 'too short' })
    expect(error.message).toContain('email: value is not a valid email address')
  })

  it('keeps the server message of domain errors and survives non-JSON bodies', async () => {
    const server = fakeServer([
      json(409, { error: { code: 'conflict', message: 'no room of this type is free', details: null } }),
      () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    ])
    const client = new ApiClient({ tokens: memoryTokenStore(OLD), fetch: server.fetch })

    await expect(client.post('/api/v1/bookings', {})).rejects.toMatchObject({
      status: 409,
      code: 'conflict',
      message: 'no room of this type is free',
    })
    await expect(client.get('/api/v1/menu')).rejects.toMatchObject({ status: 502, code: 'http_error' })
  })

  it('reports an unreachable server as a network error', async () => {
    const client = new ApiClient({
      tokens: memoryTokenStore(null),
      fetch: (async () => {
        throw new TypeError('Failed to fetch')
      }) as typeof fetch,
    })
    await expect(client.get('/api/v1/menu')).rejects.toMatchObject({ status: 0, code: 'network_error' })
  })
})

describe('queryString', () => {
  it('leaves out empty filters', () => {
    expect(queryString({ status: '', limit: 20, offset: 0, guest_id: undefined })).toBe('?limit=20&offset=0')
    expect(queryString({})).toBe('')
  })
})
