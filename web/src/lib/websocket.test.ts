import { describe, expect, it } from 'vitest'

import { backoffDelay, type Environment, type LiveEvent, RealtimeClient } from './websocket'

class FakeSocket {
  readyState = 0
  sent: Record<string, unknown>[] = []
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  onclose: ((ev: { code: number; reason: string }) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  readonly url: string
  constructor(url: string) {
    this.url = url
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>)
  }
  close() {
    this.readyState = 3
  }
  open() {
    this.readyState = 1
    this.onopen?.({})
  }
  receive(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) })
  }
  drop(code = 1006) {
    this.readyState = 3
    this.onclose?.({ code, reason: '' })
  }
}

class FakeWorld implements Environment {
  sockets: FakeSocket[] = []
  timers = new Map<number, { at: number; fn: () => void }>()
  clock = 0
  nextId = 1
  online = true
  onlineWatchers: ((online: boolean) => void)[] = []
  randomValue = 0.5
  createSocket(url: string) {
    const socket = new FakeSocket(url)
    this.sockets.push(socket)
    return socket
  }
  setTimeout(fn: () => void, ms: number) {
    const id = this.nextId++
    this.timers.set(id, { at: this.clock + ms, fn })
    return id
  }
  clearTimeout(handle: unknown) {
    this.timers.delete(handle as number)
  }
  random() {
    return this.randomValue
  }
  now() {
    return this.clock
  }
  isOnline() {
    return this.online
  }
  watchOnline(callback: (online: boolean) => void) {
    this.onlineWatchers.push(callback)
    return () => undefined
  }
  /** Move the clock on, running the timers that fall due, in order. */
  advance(ms: number) {
    const until = this.clock + ms
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0]
      if (!due) break
      this.timers.delete(due[0])
      this.clock = due[1].at
      due[1].fn()
    }
    this.clock = until
  }
  setOnline(online: boolean) {
    this.online = online
    this.onlineWatchers.forEach((watch) => watch(online))
  }
  get last() {
    return this.sockets[this.sockets.length - 1]
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

function event(channel: string, seq: number): LiveEvent {
  return { type: 'event', channel, seq, id: `e${seq}`, event: 'booking.status_changed', ts: 0, data: {} }
}

async function connected(world: FakeWorld, received: LiveEvent[] = [], resyncs: string[] = []) {
  const states: string[] = []
  const client = new RealtimeClient({
    url: 'ws://hotel.test/api/v1/ws',
    getToken: () => 'token-1',
    onEvent: (e) => received.push(e),
    onResync: (channel) => resyncs.push(channel),
    onState: (s) => states.push(s),
    env: world,
  })
  client.subscribe('booking:7')
  client.start()
  await flush()
  world.last.open()
  world.last.receive({ type: 'ready', ping_seconds: 20, expires_at: 3600 })
  return { client, states }
}

describe('RealtimeClient', () => {
  it('signs in with the first message and subscribes once ready', async () => {
    const world = new FakeWorld()
    await connected(world)
    expect(world.last.url).toBe('ws://hotel.test/api/v1/ws')
    expect(world.last.sent[0]).toEqual({ type: 'auth', token: 'token-1' })
    expect(world.last.sent[1]).toEqual({ type: 'subscribe', channel: 'booking:7', request_id: 'subscribe:booking:7' })
  })

  it('reconnects with growing, jittered delays and resumes from the last event', async () => {
    const world = new FakeWorld()
    const received: LiveEvent[] = []
    const { states } = await connected(world, received)
    world.last.receive({ type: 'subscribed', channel: 'booking:7', seq: 3, last_event_id: 'e3' })
    world.last.receive(event('booking:7', 4))
    world.last.receive(event('booking:7', 5))

    world.last.drop()
    expect(states).toContain('reconnecting')
    world.advance(249)
    await flush()
    expect(world.sockets).toHaveLength(1) // first retry after 250-500 ms (half jittered)
    world.advance(200)
    await flush()
    expect(world.sockets).toHaveLength(2)
    world.last.drop() // refused again: the next wait is longer
    world.advance(700)
    await flush()
    expect(world.sockets).toHaveLength(2)
    world.advance(100)
    await flush()
    expect(world.sockets).toHaveLength(3)

    world.last.open()
    world.last.receive({ type: 'ready', ping_seconds: 20, expires_at: 3600 })
    expect(world.last.sent[1]).toEqual({
      type: 'subscribe',
      channel: 'booking:7',
      request_id: 'subscribe:booking:7',
      last_seq: 5,
      last_event_id: 'e5',
    })
    // The server replays 6 and 7; a duplicate of 5 is ignored.
    world.last.receive({ type: 'subscribed', channel: 'booking:7', seq: 7, last_event_id: 'e7', replayed: 2 })
    world.last.receive(event('booking:7', 5))
    world.last.receive(event('booking:7', 6))
    world.last.receive(event('booking:7', 7))
    expect(received.map((e) => e.seq)).toEqual([4, 5, 6, 7])
    expect(states[states.length - 1]).toBe('open')
  })

  it('asks the app to refetch when the server cannot replay', async () => {
    const world = new FakeWorld()
    const resyncs: string[] = []
    await connected(world, [], resyncs)
    world.last.receive({ type: 'resync', channel: 'booking:7', seq: 40, last_event_id: 'e40' })
    expect(resyncs).toEqual(['booking:7'])
    world.last.drop()
    world.advance(500)
    await flush()
    world.last.open()
    world.last.receive({ type: 'ready', ping_seconds: 20, expires_at: 3600 })
    expect(world.last.sent[1]).toMatchObject({ last_seq: 40, last_event_id: 'e40' })
  })

  it('waits while offline and reconnects as soon as the browser is back', async () => {
    const world = new FakeWorld()
    const { states } = await connected(world)
    world.setOnline(false)
    expect(states[states.length - 1]).toBe('offline')
    world.advance(60_000)
    await flush()
    expect(world.sockets).toHaveLength(1)
    world.setOnline(true)
    await flush()
    expect(world.sockets).toHaveLength(2)
  })

  it('answers pings and gives up on a silent server', async () => {
    const world = new FakeWorld()
    await connected(world)
    world.last.receive({ type: 'ping', ts: 1 })
    expect(world.last.sent[world.last.sent.length - 1]).toEqual({ type: 'pong' })
    world.advance(50_001) // 2.5 ping intervals without a word
    expect(world.sockets).toHaveLength(1)
    world.advance(500)
    await flush()
    expect(world.sockets).toHaveLength(2)
  })

  it('stops for good when the token is for someone else or the user signs out', async () => {
    const world = new FakeWorld()
    const { states } = await connected(world)
    world.last.drop(4403)
    world.advance(60_000)
    await flush()
    expect(world.sockets).toHaveLength(1)
    expect(states[states.length - 1]).toBe('closed')
  })

  it('resumes after the server closes for a shutdown, whichever code it uses', async () => {
    for (const code of [1001, 1012]) {
      const world = new FakeWorld()
      const received: LiveEvent[] = []
      const { states } = await connected(world, received)
      world.last.receive({ type: 'subscribed', channel: 'booking:7', seq: 3, last_event_id: 'e3' })
      world.last.receive(event('booking:7', 4))
      world.last.drop(code)
      expect(states[states.length - 1]).toBe('reconnecting')
      world.advance(500)
      await flush()
      expect(world.sockets).toHaveLength(2)
      world.last.open()
      world.last.receive({ type: 'ready', ping_seconds: 20, expires_at: 3600 })
      expect(world.last.sent[1]).toMatchObject({ type: 'subscribe', last_seq: 4, last_event_id: 'e4' })
    }
  })

  it('resumes a channel from the last event it has when a sequence number is skipped', async () => {
    const world = new FakeWorld()
    const received: LiveEvent[] = []
    await connected(world, received)
    world.last.receive({ type: 'subscribed', channel: 'booking:7', seq: 501, last_event_id: 'e501' })
    world.last.receive(event('booking:7', 502))
    world.last.receive(event('booking:7', 508)) // 503-507 went missing on the way
    expect(world.last.sent[world.last.sent.length - 1]).toEqual({
      type: 'subscribe',
      channel: 'booking:7',
      request_id: 'subscribe:booking:7',
      last_seq: 502,
      last_event_id: 'e502',
    })
    world.last.receive(event('booking:7', 509)) // still the old subscription: wait for the answer
    world.last.receive({ type: 'subscribed', channel: 'booking:7', seq: 509, last_event_id: 'e509', replayed: 7 })
    for (let seq = 503; seq <= 509; seq++) world.last.receive(event('booking:7', seq))
    world.last.receive(event('booking:7', 510))
    expect(received.map((e) => e.seq)).toEqual([502, 503, 504, 505, 506, 507, 508, 509, 510])
  })

  it('does not take skipped numbers for a gap on a date-ranged availability channel', async () => {
    const world = new FakeWorld()
    const received: LiveEvent[] = []
    const { client } = await connected(world, received)
    client.subscribe({ channel: 'availability', from: '2026-12-01', to: '2026-12-05' })
    world.last.receive({ type: 'subscribed', channel: 'availability', seq: 10, last_event_id: 'e10' })
    const sent = world.last.sent.length
    world.last.receive(event('availability', 11))
    world.last.receive(event('availability', 14)) // 12 and 13 were about other dates
    expect(world.last.sent).toHaveLength(sent)
    expect(received.map((e) => e.seq)).toEqual([11, 14])
  })

  it('retries a subscribe the server could not serve, showing the connection as degraded', async () => {
    const world = new FakeWorld()
    const received: LiveEvent[] = []
    const { states } = await connected(world, received)
    const subscribes = () => world.last.sent.filter((f) => f.type === 'subscribe').length
    const unavailable = {
      type: 'error',
      code: 'unavailable',
      message: 'could not subscribe, try again',
      request_id: 'subscribe:booking:7',
    }
    world.last.receive(unavailable)
    expect(states[states.length - 1]).toBe('degraded')
    world.advance(374)
    expect(subscribes()).toBe(1)
    world.advance(1) // the backoff of reconnecting: 375 ms with this jitter, then 750
    expect(subscribes()).toBe(2)
    world.last.receive(unavailable)
    world.advance(749)
    expect(subscribes()).toBe(2)
    expect(states[states.length - 1]).toBe('degraded')
    world.advance(1)
    expect(subscribes()).toBe(3)
    world.last.receive({ type: 'subscribed', channel: 'booking:7', seq: 2, last_event_id: 'e2' })
    expect(states[states.length - 1]).toBe('open')
    world.last.receive(event('booking:7', 3))
    expect(received.map((e) => e.seq)).toEqual([3])
    world.advance(60_000)
    expect(subscribes()).toBe(3) // no retry once it went through
  })

  it('gives up a channel the server refuses and says so', async () => {
    const world = new FakeWorld()
    const refused: string[] = []
    const client = new RealtimeClient({
      url: 'ws://hotel.test/api/v1/ws',
      getToken: () => 'token-1',
      onRefused: (channel, code) => refused.push(`${channel} ${code}`),
      env: world,
    })
    client.subscribe('booking:8')
    client.start()
    await flush()
    world.last.open()
    world.last.receive({ type: 'ready', ping_seconds: 20, expires_at: 3600 })
    world.last.receive({ type: 'error', code: 'not_found', message: 'booking 8 not found', request_id: 'subscribe:booking:8' })
    expect(refused).toEqual(['booking:8 not_found'])
    expect(client.state).toBe('open')
    world.advance(60_000)
    expect(world.last.sent.filter((f) => f.type === 'subscribe')).toHaveLength(1)
  })

  it('backs off exponentially up to a cap', () => {
    const delays = [0, 1, 2, 3, 10].map((n) => backoffDelay(n, 500, 30_000, () => 1))
    expect(delays).toEqual([500, 1000, 2000, 4000, 30_000])
    expect(backoffDelay(3, 500, 30_000, () => 0)).toBe(2000)
  })
})
