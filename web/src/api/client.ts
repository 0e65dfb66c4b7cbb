/**
 * The Premier API client: openapi-fetch typed from the generated `schema.d.ts`, so a path,
 * a parameter, a body or an answer that no longer matches the API fails the type check,
 * sent through one session that
 *
 * - attaches the bearer access token, which lives only in memory,
 * - on a 401 refreshes the access token once (concurrent requests share one refresh, and
 *   tabs take turns so each sends the newest refresh cookie) and retries,
 * - restores a session on page load from the refresh cookie, which no script can read: the
 *   server sets it httpOnly and accepts it only with the `X-Requested-With` header,
 * - sends `X-Requested-With` on every request, and an `Idempotency-Key` where the caller
 *   gives one (`idempotent(key)`),
 * - turns the JSON error body `{"error": {code, message, details}}` into an `ApiError` with a
 *   readable message and per-field messages for forms.
 */
import createClient, { type Client } from 'openapi-fetch'
import type { paths } from './schema'


/** What the page holds of a session: the short-lived access token. The refresh token is an
 * httpOnly cookie the page never sees. */
export interface Tokens {
  access_token: string
}

/** Where the access token lives (memory only, so a page reload asks the cookie again). */
export interface TokenStore {
  get(): Tokens | null
  set(tokens: Tokens | null): void
}

export type Query = Record<string, string | number | boolean | null | undefined>

export type TypedClient = Client<paths>

/** Request headers that make copies of one submission create one thing. */
export function idempotent(key: string | undefined): { headers: Record<string, string> } {
  return { headers: key ? { 'Idempotency-Key': key } : {} }
}

interface FieldErrorDetail {
  field?: unknown
  message?: unknown
}

const BODY_PREFIXES = ['body', 'query', 'path']

/** `body.items.0.quantity` → `items.0.quantity`; the form knows its own fields. */
export function fieldName(location: string): string {
  const parts = location.split('.')
  if (parts.length > 1 && BODY_PREFIXES.includes(parts[0])) parts.shift()
  return parts.join('.')
}

function readableFieldMessage(message: string): string {
  return message.replace(/^Value error, /, '')
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: unknown
  /** Field name (without `body.`) → message, for showing next to form inputs. */
  readonly fieldErrors: Record<string, string>

  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
    this.fieldErrors = {}
    if (Array.isArray(details)) {
      for (const item of details as FieldErrorDetail[]) {
        if (typeof item?.field === 'string' && typeof item?.message === 'string') {
          const name = fieldName(item.field)
          this.fieldErrors[name] ??= readableFieldMessage(item.message)
        }
      }
    }
  }

  /** Build from a response whose body may or may not be our JSON error shape. */
  static async fromResponse(response: Response): Promise<ApiError> {
    let payload: unknown = null
    try {
      payload = await response.json()
    } catch {
      payload = null
    }
    const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } })
      ?.error
    if (error && typeof error.message === 'string') {
      const code = typeof error.code === 'string' ? error.code : 'http_error'
      const apiError = new ApiError(response.status, code, error.message, error.details ?? null)
      const fields = Object.entries(apiError.fieldErrors)
      if (code === 'validation_error' && fields.length > 0) {
        const text = fields.map(([name, msg]) => `${name}: ${msg}`).join('; ')
        return new ApiError(response.status, code, text, error.details ?? null)
      }
      return apiError
    }
    return new ApiError(
      response.status,
      'http_error',
      `The server answered ${response.status} ${response.statusText}`.trim(),
    )
  }
}

export interface ApiClientOptions {
  tokens: TokenStore
  baseUrl?: string
  fetch?: typeof fetch
  /** Called when the refresh token is refused: the user must sign in again. */
  onSessionExpired?: () => void
  /** Runs a refresh while holding a lock shared by the site's tabs (Web Locks in browsers). */
  withRefreshLock?: <T>(refresh: () => Promise<T>) => Promise<T>
}

const REFRESH_PATH = '/api/v1/auth/refresh'
const LOGOUT_PATH = '/api/v1/auth/logout'
/** Marks requests as the page's own: the server then keeps the refresh token in its cookie
 * and honours that cookie (a form posted from another site cannot add a header). */
export const BROWSER_HEADER = { 'X-Requested-With': 'premier-web' }

/** One refresh at a time across the site's tabs: a refresh spends the cookie's token, so a
 * tab refreshing at the same moment as another would present a spent one and end the
 * session. Without Web Locks (tests, old browsers) refreshes are only shared within a tab. */
export async function browserRefreshLock<T>(refresh: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  return locks ? await locks.request('premier-refresh', refresh) : await refresh()
}

export class ApiClient {
  private readonly tokens: TokenStore
  private readonly baseUrl: string
  private readonly fetchImpl: typeof fetch
  private readonly withRefreshLock: <T>(refresh: () => Promise<T>) => Promise<T>
  private refreshing: Promise<boolean> | null = null
  onSessionExpired: (() => void) | undefined
  /** Every endpoint, typed from the OpenAPI document, sent as this session. */
  readonly typed: TypedClient
  /** The same endpoints without the bearer token (sign-in, registration, public pages): a
   * stale token is neither sent nor refreshed when the server answers 401. */
  readonly anonymous: TypedClient

  constructor(options: ApiClientOptions) {
    this.tokens = options.tokens
    this.baseUrl = options.baseUrl ?? ''
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.onSessionExpired = options.onSessionExpired
    this.withRefreshLock = options.withRefreshLock ?? ((refresh) => refresh())
    this.typed = this.typedClient({ anonymous: false })
    this.anonymous = this.typedClient({ anonymous: true })
  }

  /** On page load: trade the refresh cookie, if any, for an access token. Resolves to
   * whether a session was restored; a missing or refused cookie is not an expired session. */
  restoreSession(): Promise<boolean> {
    this.refreshing ??= this.refresh({ quiet: true }).finally(() => {
      this.refreshing = null
    })
    return this.refreshing
  }

  /** Sign out: the server ends the session and clears its cookie; the page forgets the
   * access token even when the server cannot be reached. */
  async logout(): Promise<void> {
    try {
      const response = await this.send(this.emptyPost(LOGOUT_PATH), undefined)
      if (!response.ok && response.status !== 401) throw await ApiError.fromResponse(response)
    } finally {
      this.tokens.set(null)
    }
  }

  /**
   * Send one request as this session: the bearer token (unless `anonymous`), the page's
   * header, and on a 401 one shared refresh and a second try with the new token. Answers
   * whatever the server answered; an unreachable server is an `ApiError` with status 0.
   */
  async fetch(request: Request, { anonymous = false }: { anonymous?: boolean } = {}): Promise<Response> {
    const token = anonymous ? null : this.tokens.get()
    let response = await this.send(request, token?.access_token)
    if (response.status === 401 && token && !request.url.endsWith(REFRESH_PATH)) {
      if (await this.refreshOnce(token)) {
        response = await this.send(request, this.tokens.get()?.access_token)
      }
    }
    return response
  }

  /** openapi-fetch over this session; a refusal becomes the `ApiError` the forms read, so a
   * call's `data` is always the success answer. */
  private typedClient(session: { anonymous: boolean }): TypedClient {
    return createClient<paths>({
      baseUrl: this.baseUrl,
      querySerializer: (query) => queryString(query as Query),
      fetch: async (request) => {
        const response = await this.fetch(request, session)
        if (!response.ok) throw await ApiError.fromResponse(response)
        return response
      },
    })
  }

  private emptyPost(path: string): Request {
    return new Request(this.baseUrl + path, { method: 'POST' })
  }

  /** A copy of `request` goes out each time, so the retry after a refresh has its body. */
  private async send(request: Request, accessToken: string | undefined): Promise<Response> {
    const headers = new Headers(request.headers)
    headers.set('Accept', 'application/json')
    for (const [name, value] of Object.entries(BROWSER_HEADER)) headers.set(name, value)
    if (accessToken) headers.set('Authorization', `Bearer ${accessToken}`)
    else headers.delete('Authorization')
    try {
      return await this.fetchImpl(new Request(request.clone(), { headers, credentials: 'same-origin' }))
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error
      throw new ApiError(0, 'network_error', 'Cannot reach the hotel server. Check your connection.')
    }
  }

  /** Get a new access token; requests failing together share one refresh call. */
  private refreshOnce(used: Tokens): Promise<boolean> {
    const current = this.tokens.get()
    // Someone else refreshed while our request was in flight: just retry with the new token.
    if (current && current.access_token !== used.access_token) return Promise.resolve(true)
    if (!current) return Promise.resolve(false)
    this.refreshing ??= this.refresh({ quiet: false }).finally(() => {
      this.refreshing = null
    })
    return this.refreshing
  }

  /** The cookie travels by itself; the body stays empty. */
  private refresh({ quiet }: { quiet: boolean }): Promise<boolean> {
    return this.withRefreshLock(async () => {
      let response: Response
      try {
        response = await this.send(this.emptyPost(REFRESH_PATH), undefined)
      } catch {
        return false
      }
      if (!response.ok) {
        this.tokens.set(null)
        if (!quiet) this.onSessionExpired?.()
        return false
      }
      const pair = (await response.json()) as Tokens
      this.tokens.set({ access_token: pair.access_token })
      return true
    })
  }
}

export function queryString(query: Query | undefined): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error) return error.message
  return 'Something went wrong.'
}
