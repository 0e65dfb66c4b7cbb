import { useEffect, useRef, useState } from 'react'

import {
  type ChannelSpec,
  type ConnectionState,
  type LiveEvent,
  RealtimeClient,
  type RealtimeOptions,
  realtimeUrl,
} from '../lib/websocket'

export interface UseWebSocketOptions {
  /** the current access token, or null when signed out (no connection then) */
  getToken: RealtimeOptions['getToken']
  /** who is signed in: a change of user starts a new connection */
  userKey: string | number | null
  /** channels to listen on for as long as the component is mounted */
  channels?: (ChannelSpec | string)[]
  onEvent?: (event: LiveEvent) => void
  onResync?: (channel: string) => void
  url?: string
}

export interface LiveConnection {
  state: ConnectionState
  client: RealtimeClient | null
}

/**
 * One live-updates connection for the signed-in user (mount it once, high in the tree, and
 * hand `client` to `useChannel` below it). Reconnects, resumes and tracks online/offline
 * by itself; `state` drives the connection indicator.
 */
export function useWebSocket(options: UseWebSocketOptions): LiveConnection {
  const [state, setState] = useState<ConnectionState>('idle')
  const [client, setClient] = useState<RealtimeClient | null>(null)
  const latest = useRef(options)
  latest.current = options

  useEffect(() => {
    if (options.userKey === null) {
      setState('idle')
      return undefined
    }
    const live = new RealtimeClient({
      url: options.url ?? realtimeUrl(),
      getToken: () => latest.current.getToken(),
      onEvent: (event) => latest.current.onEvent?.(event),
      onResync: (channel) => latest.current.onResync?.(channel),
      onState: setState,
    })
    live.start()
    setClient(live)
    return () => {
      live.stop()
      setClient(null)
    }
  }, [options.userKey, options.url])

  useChannels(client, options.channels ?? [])
  return { state, client }
}

/** Listen on these channels while mounted (e.g. `booking:12` on the booking's page). */
export function useChannels(client: RealtimeClient | null, channels: (ChannelSpec | string)[]): void {
  const key = JSON.stringify(channels)
  useEffect(() => {
    if (!client) return undefined
    const specs = JSON.parse(key) as (ChannelSpec | string)[]
    const stops = specs.map((spec) => client.subscribe(spec))
    return () => stops.forEach((stop) => stop())
  }, [client, key])
}
