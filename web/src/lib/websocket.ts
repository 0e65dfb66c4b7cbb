/**
 * The one live-updates connection of the app (`WS /api/v1/ws`).
 *
 * - Signs in with the first message (the token never appears in a URL or a log line) and
 *   sends a fresh token before the current one expires.
 * - Reconnects after a drop with exponential backoff and jitter; waits while the browser
 *   is offline and reconnects at once when it comes back.
 * - Remembers the last event (id and sequence number) of every channel and resumes from
 *   it, so events missed while disconnected arrive in order and once; when the server no
 *   longer has them it says `resync` and `onResync` tells the app to refetch. Whatever
 *   code the server closes with when it stops (1001, or 1012 from some servers), it
 *   reconnects and resumes.
 * - Sequence numbers count every event of a channel, so an event that is not the next one
 *   means some went missing on the way: the channel is resumed from the last one received
 *   (and its events ignored until the server answers). Availability listeners with a date
 *   range skip the events of other dates, so there a jump is expected.
 * - A subscribe the server could not serve for now (`error` frame `unavailable`, e.g. its
 *   Redis is down) is tried again with backoff; meanwhile the state is `degraded`. One it
 *   refuses (`forbidden`, `not_found`...) is given up and reported through `onRefused`.
 * - Answers server pings and treats a silent server as a dropped connection.
 */

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'degraded' | 'reconnecting' | 'offline' | 'closed'

export interface LiveEvent {
  type: 'event'
  channel: string
  seq: number
  id: string
  event: string
  ts: number
  data: Record<string, unknown>
}

export interface ChannelSpec {
  channel: string
  /** availability only: the dates to hear about (YYYY-MM-DD, `to` exclusive) */
  from?: string
  to?: string
}

export interface Position {
  seq: number
  id: string | null
}

interface SocketLike {
  readyState: number
  onopen: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  onclose: ((ev: { code: number; reason: string }) => void) | null
  onerror: ((ev: unknown) => void) | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

export interface Environment {
  createSocket(url: string): SocketLike
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  random(): number
  now(): number
  isOnline(): boolean
  /** calls back with true/false when the browser goes online/offline; returns an unsubscribe */
  watchOnline(callback: (online: boolean) => void): () => void
}

export interface RealtimeOptions {
  url: string
  /** the current access token (refreshed by the caller), or null when signed out */
  getToken: () => string | null | Promise<string | null>
  onEvent?: (event: LiveEvent) => void
  onResync?: (channel: string) => void
  /** the server will not let us listen on this channel (`forbidden`, `not_found`...) */
  onRefused?: (channel: string, code: string) => void
  onState?: (state: ConnectionState) => void
  baseDelayMs?: number
  maxDelayMs?: number
  env?: Environment
}

export const CLOSE = {
  unauthenticated: 4401,
  forbidden: 4403,
  idle: 4408,
  slowConsumer: 4409,
  abuse: 4429,
} as const

const OPEN = 1

/** Error codes that mean "not now" rather than "not you": the subscribe is tried again. */
const RETRYABLE = new Set(['unavailable', 'rate_limited'])
const SUBSCRIBE_ID = 'subscribe:'

/** ws(s)://this-host/api/v1/ws */
export function realtimeUrl(location: { protocol: string; host: string } = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** attempt)
  return cap / 2 + random() * (cap / 2)
}

export function browserEnvironment(): Environment {
  return {
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
    random: Math.random,
    now: Date.now,
    isOnline: () => navigator.onLine !== false,
    watchOnline(callback) {
      const online = () => callback(true)
      const offline = () => callback(false)
      window.addEventListener('online', online)
      window.addEventListener('offline', offline)
      return () => {
        window.removeEventListener('online', online)
        window.removeEventListener('offline', offline)
      }
    },
  }
}

export class RealtimeClient {
  state: ConnectionState = 'idle'
  readonly positions = new Map<string, Position>()
  private readonly channels = new Map<string, ChannelSpec>()
  /** channels resubscribed after a gap: their events wait for the server's answer */
  private readonly resuming = new Set<string>()
  /** channels whose subscribe failed for now: attempts so far and the retry timer */
  private readonly failing = new Map<string, { attempt: number; timer: unknown }>()
  private readonly env: Environment
  private socket: SocketLike | null = null
  private attempt = 0
  private retryTimer: unknown = null
  private silenceTimer: unknown = null
  private renewTimer: unknown = null
  private pingMs = 20_000
  private stopWatchingOnline: (() => void) | null = null
  private running = false
  private readonly options: RealtimeOptions

  constructor(options: RealtimeOptions) {
    this.options = options
    this.env = options.env ?? browserEnvironment()
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.stopWatchingOnline = this.env.watchOnline((online) => {
      if (!this.running) return
      if (online) {
        this.attempt = 0
        this.cancelRetry()
        if (!this.socket) void this.connect()
      } else {
        this.dropSocket()
        this.setState('offline')
      }
    })
    void this.connect()
  }

  stop(): void {
    this.running = false
    this.stopWatchingOnline?.()
    this.stopWatchingOnline = null
    this.cancelRetry()
    this.dropSocket()
    this.setState('closed')
  }

  /** Listen on a channel (again, if already listening: e.g. another date range). */
  subscribe(spec: ChannelSpec | string): () => void {
    const wanted = typeof spec === 'string' ? { channel: spec } : spec
    this.channels.set(wanted.channel, wanted)
    this.sendSubscribe(wanted)
    return () => this.unsubscribe(wanted.channel)
  }

  unsubscribe(channel: string): void {
    if (!this.channels.delete(channel)) return
    this.positions.delete(channel)
    this.resuming.delete(channel)
    this.stopRetrying(channel)
    this.send({ type: 'unsubscribe', channel })
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return
    this.state = state
    this.options.onState?.(state)
  }

  private async connect(): Promise<void> {
    if (!this.running || this.socket) return
    if (!this.env.isOnline()) {
      this.setState('offline')
      return
    }
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting')
    let token: string | null
    try {
      token = await this.options.getToken()
    } catch {
      token = null
    }
    if (!this.running || this.socket) return
    if (!token) {
      this.setState('closed')
      return
    }
    const socket = this.env.createSocket(this.options.url)
    this.socket = socket
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token }))
    socket.onmessage = (message) => {
      if (this.socket === socket && typeof message.data === 'string') this.receive(message.data)
    }
    socket.onclose = (closed) => {
      if (this.socket === socket) this.closed(closed.code)
    }
    socket.onerror = () => undefined // a close follows
  }

  private receive(raw: string): void {
    let frame: Record<string, unknown>
    try {
      frame = JSON.parse(raw) as Record<string, unknown>
    } catch {
      return
    }
    this.expectWithin(this.pingMs * 2.5)
    switch (frame.type) {
      case 'ready':
        this.attempt = 0
        this.pingMs = Number(frame.ping_seconds ?? 20) * 1000
        this.expectWithin(this.pingMs * 2.5)
        this.scheduleRenewal(Number(frame.expires_at))
        this.setState('open')
        for (const spec of this.channels.values()) this.sendSubscribe(spec)
        break
      case 'authenticated':
        this.scheduleRenewal(Number(frame.expires_at))
        break
      case 'ping':
        this.send({ type: 'pong' })
        break
      case 'subscribed': {
        const channel = String(frame.channel)
        if (!this.positions.has(channel) && this.channels.has(channel)) {
          this.positions.set(channel, { seq: Number(frame.seq), id: (frame.last_event_id as string) ?? null })
        }
        this.resuming.delete(channel)
        this.stopRetrying(channel)
        break
      }
      case 'resync': {
        const channel = String(frame.channel)
        this.positions.set(channel, { seq: Number(frame.seq), id: (frame.last_event_id as string) ?? null })
        this.options.onResync?.(channel)
        break
      }
      case 'event':
        this.deliver(frame as unknown as LiveEvent)
        break
      case 'error':
        this.refused(frame)
        break
    }
  }

  private deliver(event: LiveEvent): void {
    const spec = this.channels.get(event.channel)
    if (!spec || this.resuming.has(event.channel)) return
    const known = this.positions.get(event.channel)
    if (known && event.seq <= known.seq) return // already seen
    if (known && event.seq > known.seq + 1 && !spec.from) {
      // Some went missing on the way: resume after the last one we have, which replays
      // them and this one in order.
      this.resuming.add(event.channel)
      this.sendSubscribe(spec)
      return
    }
    this.positions.set(event.channel, { seq: event.seq, id: event.id })
    this.options.onEvent?.(event)
  }

  /** An `error` frame: a failed subscribe is retried later or given up, by its code. */
  private refused(frame: Record<string, unknown>): void {
    const requestId = typeof frame.request_id === 'string' ? frame.request_id : ''
    if (!requestId.startsWith(SUBSCRIBE_ID)) return
    const channel = requestId.slice(SUBSCRIBE_ID.length)
    const spec = this.channels.get(channel)
    if (!spec) return
    this.resuming.delete(channel)
    const code = String(frame.code)
    if (!RETRYABLE.has(code)) {
      this.channels.delete(channel)
      this.positions.delete(channel)
      this.stopRetrying(channel)
      this.options.onRefused?.(channel, code)
      return
    }
    const attempt = this.failing.get(channel)?.attempt ?? 0
    this.stopRetrying(channel)
    const delay = backoffDelay(attempt, this.options.baseDelayMs ?? 500, this.options.maxDelayMs ?? 10_000, () => this.env.random())
    const timer = this.env.setTimeout(() => {
      const failing = this.failing.get(channel)
      if (failing) failing.timer = null
      const wanted = this.channels.get(channel)
      if (wanted) this.sendSubscribe(wanted)
    }, delay)
    this.failing.set(channel, { attempt: attempt + 1, timer })
    if (this.state === 'open') this.setState('degraded')
  }

  private stopRetrying(channel: string): void {
    const failing = this.failing.get(channel)
    if (!failing) return
    if (failing.timer !== null) this.env.clearTimeout(failing.timer)
    this.failing.delete(channel)
    if (this.failing.size === 0 && this.state === 'degraded') this.setState('open')
  }

  private closed(code: number): void {
    this.socket = null
    this.clearTimers()
    if (!this.running) return
    if (code === CLOSE.forbidden) {
      this.setState('closed')
      return
    }
    this.scheduleRetry()
  }

  private scheduleRetry(): void {
    this.cancelRetry()
    if (!this.env.isOnline()) {
      this.setState('offline')
      return
    }
    this.setState('reconnecting')
    const delay = backoffDelay(this.attempt, this.options.baseDelayMs ?? 500, this.options.maxDelayMs ?? 10_000, () => this.env.random())
    this.attempt += 1
    this.retryTimer = this.env.setTimeout(() => {
      this.retryTimer = null
      void this.connect()
    }, delay)
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) this.env.clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  /** A server that says nothing (not even a ping) for this long is gone. */
  private expectWithin(ms: number): void {
    if (this.silenceTimer !== null) this.env.clearTimeout(this.silenceTimer)
    this.silenceTimer = this.env.setTimeout(() => {
      this.silenceTimer = null
      const socket = this.socket
      if (!socket) return
      this.dropSocket()
      this.closed(1006)
    }, ms)
  }

  /** Send a fresh token a minute before this one expires, so the server keeps us. */
  private scheduleRenewal(expiresAt: number): void {
    if (this.renewTimer !== null) this.env.clearTimeout(this.renewTimer)
    this.renewTimer = null
    if (!Number.isFinite(expiresAt)) return
    const due = Math.max(1_000, expiresAt * 1000 - this.env.now() - 60_000)
    this.renewTimer = this.env.setTimeout(async () => {
      this.renewTimer = null
      const token = await this.options.getToken()
      if (token) this.send({ type: 'auth', token })
    }, due)
  }

  private sendSubscribe(spec: ChannelSpec): void {
    const frame: Record<string, unknown> = { type: 'subscribe', channel: spec.channel, request_id: SUBSCRIBE_ID + spec.channel }
    if (spec.from) frame.from = spec.from
    if (spec.to) frame.to = spec.to
    const known = this.positions.get(spec.channel)
    if (known) {
      frame.last_seq = known.seq
      if (known.id) frame.last_event_id = known.id
    }
    this.send(frame)
  }

  private send(frame: Record<string, unknown>): void {
    const live = this.state === 'open' || this.state === 'degraded'
    if (this.socket && this.socket.readyState === OPEN && live) {
      this.socket.send(JSON.stringify(frame))
    } else if (frame.type === 'pong' && this.socket?.readyState === OPEN) {
      this.socket.send(JSON.stringify(frame))
    }
  }

  private clearTimers(): void {
    for (const timer of [this.silenceTimer, this.renewTimer]) {
      if (timer !== null) this.env.clearTimeout(timer)
    }
    this.silenceTimer = null
    this.renewTimer = null
    // A new socket subscribes to every channel afresh.
    for (const failing of this.failing.values()) {
      if (failing.timer !== null) this.env.clearTimeout(failing.timer)
    }
    this.failing.clear()
    this.resuming.clear()
  }

  private dropSocket(): void {
    const socket = this.socket
    this.socket = null
    this.clearTimers()
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null
      try {
        socket.close(1000, 'bye')
      } catch {
        // already closed
      }
    }
  }
}
