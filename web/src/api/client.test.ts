import { describe, expect, it } from 'vitest'
import { ApiClient, ApiError, queryString, type Tokens } from './client'
import { endpoints } from './endpoints'
import { memoryTokenStore } from '../lib/tokens'

const ORIGIN = 'http://hotel.test'

interface Call {
  /** Path and query, as the server sees them. */
  url: string
  method: string
  authorization: string | null
  requestedWith: string | null
  contentType: string | null
  credentials: RequestCredentials
  idempotencyKey: string | null
  body: unknown
}

/** A scripted server at the network border: answers each call with the next response and
 * records what it got, whatever form the request came in. */
function fakeServer(responses: Array<(call: Call) => Response | Promise<Response>>) {
  const calls: Call[] = []
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const text = await request.text()
    const call: Call = {
      url: url.pathname + url.search,
      method: request.method,
      authorization: request.headers.get('Authorization'),
      requestedWith: request.headers.get('X-Requested-With'),
      contentType: request.headers.get('Content-Type'),
      credentials: request.credentials,
      idempotencyKey: request.headers.get('Idempotency-Key'),
      body: text ? JSON.parse(text) : undefined,
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
const BOOKING = { id: 7, reference: 'PH-7Q2K', status: 'pending' }
const NEW_BOOKING = { room_type_id: 1, check_in: '2026-12-24', check_out: '2026-12-26', guests: 2 }

function clientFor(server: ReturnType<typeof fakeServer>, tokens = memoryTokenStore(OLD), more = {}) {
  const client = new ApiClient({ tokens, fetch: server.fetch, baseUrl: ORIGIN, ...more })
  return { client, api: endpoints(client), tokens }
}

describe('the typed API client', () => {
  it('fills the path template and sends the bearer token and the page header', async () => {
    const server = fakeServer([json(200, BOOKING)])
    const { api } = clientFor(server)

    const booking = await api.bookings.get(7)

    expect(booking.reference).toBe('PH-7Q2K')
    expect(server.calls[0]).toMatchObject({
      url: '/api/v1/bookings/7',
      method: 'GET',
      authorization: 'Bearer old-access',
      requestedWith: 'premier-web',
      credentials: 'same-origin',
      body: undefined,
    })
  })

  it('sends a create as JSON with its Idempotency-Key', async () => {
    const server = fakeServer([json(201, BOOKING)])
    const { api } = clientFor(server)

    await api.bookings.create(NEW_BOOKING, 'booking-1')

    expect(server.calls[0]).toMatchObject({
      url: '/api/v1/bookings',
      method: 'POST',
      idempotencyKey: 'booking-1',
      contentType: 'application/json',
      body: NEW_BOOKING,
    })
  })

  it('sends one Idempotency-Key with every copy of a create, the retry after a refresh too', async () => {
    const server = fakeServer([expired, json(200, { access_token: 'new-access' }), json(201, { id: 8 })])
    const { api } = clientFor(server)

    await api.orders.create({ items: [{ menu_item_id: 1, quantity: 2 }] }, 'order-1')

    expect(server.calls.map((c) => c.idempotencyKey)).toEqual(['order-1', null, 'order-1'])
    expect(server.calls[2].body).toEqual({ items: [{ menu_item_id: 1, quantity: 2 }] })
  })

  it('sends no Idempotency-Key when the caller has none', async () => {
    const server = fakeServer([json(201, { id: 1 })])
    const { api } = clientFor(server)

    await api.rooms.create({ number: '101', floor: 1, room_type_id: 1 })

    expect(server.calls[0].idempotencyKey).toBeNull()
  })

  it('refreshes an expired access token once through the cookie and retries the request', async () => {
    const server = fakeServer([
      expired,
      json(200, { access_token: 'new-access', refresh_token: null, token_type: 'bearer', expires_in: 1800 }),
      json(200, { email: 'guest@premier.test' }),
    ])
    const { api, tokens } = clientFor(server)

    const me = await api.auth.me()

    expect(me.email).toBe('guest@premier.test')
    expect(server.calls.map((c) => c.url)).toEqual(['/api/v1/auth/me', '/api/v1/auth/refresh', '/api/v1/auth/me'])
    // The refresh token is the httpOnly cookie: nothing in the body, the page's header on.
    expect(server.calls[1]).toMatchObject({
      method: 'POST',
      body: undefined,
      authorization: null,
      requestedWith: 'premier-web',
      credentials: 'same-origin',
    })
    expect(server.calls[2].authorization).toBe('Bearer new-access')
    expect(tokens.get()).toEqual({ access_token: 'new-access' })
  })

  it('signs in without the old token, and a refused password is not an expired session', async () => {
    const server = fakeServer([json(401, { error: { code: 'invalid_credentials', message: 'wrong email or password', details: null } })])
    let expiredCalls = 0
    const { api, tokens } = clientFor(server, memoryTokenStore(OLD), { onSessionExpired: () => expiredCalls++ })

    await expect(api.auth.login('guest@premier.test', 'nope')).rejects.toMatchObject({
      status: 401,
      code: 'invalid_credentials',
    })

    expect(server.calls).toHaveLength(1)
    expect(server.calls[0].authorization).toBeNull()
    expect(server.calls[0].body).toEqual({ email: 'guest@premier.test', password: 'nope' })
    expect(tokens.get()).toEqual(OLD)
    expect(expiredCalls).toBe(0)
  })

  it('restores a session on page load from the cookie, quietly when there is none', async () => {
    const server = fakeServer([
      json(200, { access_token: 'restored', refresh_token: null, token_type: 'bearer', expires_in: 1800 }),
      json(401, { error: { code: 'invalid_token', message: 'no refresh token; sign in first', details: null } }),
    ])
    let expiredCalls = 0
    const { client, tokens } = clientFor(server, memoryTokenStore(null), { onSessionExpired: () => expiredCalls++ })

    expect(await client.restoreSession()).toBe(true)
    expect(tokens.get()).toEqual({ access_token: 'restored' })
    tokens.set(null)
    expect(await client.restoreSession()).toBe(false)
    expect(tokens.get()).toBeNull()
    expect(expiredCalls).toBe(0)
  })

  it('restoring twice at once spends the cookie once', async () => {
    const server = fakeServer([json(200, { access_token: 'restored', refresh_token: null })])
    const { client } = clientFor(server, memoryTokenStore(null))

    const results = await Promise.all([client.restoreSession(), client.restoreSession()])

    expect(results).toEqual([true, true])
    expect(server.calls).toHaveLength(1)
  })

  it('refreshes under the lock the tabs share', async () => {
    const server = fakeServer([expired, json(200, { access_token: 'new-access' }), json(200, [])])
    const held: string[] = []
    const { api } = clientFor(server, memoryTokenStore(OLD), {
      withRefreshLock: async <T,>(refresh: () => Promise<T>) => {
        held.push('taken')
        const result = await refresh()
        held.push('released')
        return result
      },
    })

    await api.rooms.list()

    expect(held).toEqual(['taken', 'released'])
  })

  it('signs out on the server and forgets the access token even when that fails', async () => {
    const server = fakeServer([
      () => new Response(null, { status: 204 }),
      () => new Response('<html>Bad gateway</html>', { status: 502 }),
    ])
    const { client, tokens } = clientFor(server)

    await client.logout()
    expect(server.calls[0]).toMatchObject({ url: '/api/v1/auth/logout', method: 'POST', requestedWith: 'premier-web' })
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
      json(200, []),
      json(200, []),
    ])
    const { api } = clientFor(server)

    const results = await Promise.all([api.rooms.list(), api.menu.list()])

    expect(results).toEqual([[], []])
    expect(server.calls.filter((c) => c.url === '/api/v1/auth/refresh')).toHaveLength(1)
  })

  it('signs out when the refresh token is refused, without looping', async () => {
    const server = fakeServer([
      expired,
      json(401, { error: { code: 'not_authenticated', message: 'refresh token expired', details: null } }),
    ])
    let expiredCalls = 0
    const { api, tokens } = clientFor(server, memoryTokenStore(OLD), { onSessionExpired: () => expiredCalls++ })

    const error = await api.bookings.get(1).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(401)
    expect(tokens.get()).toBeNull()
    expect(expiredCalls).toBe(1)
    expect(server.calls).toHaveLength(2)
  })

  it('does not try to refresh when nobody is signed in', async () => {
    const server = fakeServer([expired])
    const { api } = clientFor(server, memoryTokenStore(null))

    await expect(api.auth.me()).rejects.toMatchObject({ status: 401 })
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
    const { api } = clientFor(server, memoryTokenStore(null))

    const error = (await api.auth
      .register({ email: 'x', password: 'y', full_name: 'Amina' })
      .catch((e: unknown) => e)) as ApiError

    expect(error).toBeInstanceOf(ApiError)
    expect(error.code).toBe('validation_error')
    expect(error.fieldErrors).toEqual({ email: 'value is not a valid email address', password: 'too short' })
    expect(error.message).toContain('email: value is not a valid email address')
  })

  it('keeps the server message of domain errors and survives non-JSON bodies', async () => {
    const server = fakeServer([
      json(409, { error: { code: 'conflict', message: 'no room of this type is free', details: null } }),
      () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    ])
    const { api } = clientFor(server)

    await expect(api.bookings.create(NEW_BOOKING, 'k')).rejects.toMatchObject({
      status: 409,
      code: 'conflict',
      message: 'no room of this type is free',
    })
    await expect(api.menu.list()).rejects.toMatchObject({ status: 502, code: 'http_error' })
  })

  it('reports an unreachable server as a network error, and a cancelled request as cancelled', async () => {
    const { api } = clientFor({
      calls: [],
      fetch: (async () => {
        throw new TypeError('Failed to fetch')
      }) as typeof fetch,
    })
    await expect(api.menu.list()).rejects.toMatchObject({ status: 0, code: 'network_error' })

    const controller = new AbortController()
    controller.abort()
    const server = fakeServer([json(200, [])])
    const aborting = clientFor({
      calls: server.calls,
      fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init)
        return request.signal.aborted
          ? Promise.reject(new DOMException('The operation was aborted', 'AbortError'))
          : server.fetch(request)
      }) as typeof fetch,
    })
    await expect(aborting.api.menu.list(controller.signal)).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('leaves out empty filters and answers a 204 with nothing', async () => {
    const server = fakeServer([
      json(200, { items: [], total: 0, limit: 20, offset: 0 }),
      () => new Response(null, { status: 204 }),
    ])
    const { api } = clientFor(server)

    await api.bookings.list({ status: '', q: '', limit: 20, offset: 0, guest_id: undefined })
    expect(await api.notifications.remove(3)).toBeUndefined()

    expect(server.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/v1/bookings?limit=20&offset=0',
      'DELETE /api/v1/notifications/3',
    ])
  })
})

describe('queryString', () => {
  it('leaves out empty filters', () => {
    expect(queryString({ status: '', limit: 20, offset: 0, guest_id: undefined })).toBe('?limit=20&offset=0')
    expect(queryString({})).toBe('')
  })
})
