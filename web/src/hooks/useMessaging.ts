/** Data hooks for guest ↔ staff messaging; all reload on the `conversations` topic, which
 *  live `message.*` and `conversation.*` events invalidate (see useLiveUpdates). */
import { useCallback, useEffect, useRef, useState } from 'react'
import { api } from '../api'
import type { ConversationFilters } from '../api/endpoints'
import type { ChatMessage, ConversationDetail } from '../api/types'
import { subscribe } from '../lib/invalidation'
import { reportUnread, watchUnread } from '../lib/unreadMessages'
import type { LiveEvent } from '../lib/websocket'
import { useResource } from './useResource'

const PAGE = 30
/** How long "… is typing" stays without a new signal (senders repeat every few seconds). */
const TYPING_SHOWN_MS = 6000

export function useConversations(filters: ConversationFilters) {
  return useResource(
    (signal) => api.messages.conversations(filters, signal),
    `conversations-${JSON.stringify(filters)}`,
    ['conversations'],
  )
}

/** The user's unread messages in total, the same in every open tab (see lib/unreadMessages):
 *  reloaded when conversations change, and set straight from live read events. */
export function useUnreadTotal(userId: number | null): number {
  const [total, setTotal] = useState(0)
  useEffect(() => {
    setTotal(0)
    if (userId === null) return
    const stopWatching = watchUnread(userId, setTotal)
    let controller: AbortController | null = null
    const load = () => {
      controller?.abort()
      const mine = new AbortController()
      controller = mine
      const askedAt = Date.now()
      api.messages
        .unread(mine.signal)
        .then((counts) => reportUnread(userId, counts.total, askedAt))
        .catch(() => undefined) // the next change or reload asks again
    }
    load()
    const stopListening = subscribe('conversations', load)
    return () => {
      controller?.abort()
      stopListening()
      stopWatching()
    }
  }, [userId])
  return total
}

/** Who of a department is online now, live (`presence.*` events reload it). Names only for
 *  those allowed to see them (the department's staff and managers); `online` is null else. */
export function usePresence(department: string | null) {
  return useResource(
    (signal) => api.messages.presence(department!, signal),
    department ? `presence-${department}` : null,
    ['presence'],
  )
}

export function useMessageSearch(query: string) {
  const q = query.trim()
  return useResource((signal) => api.messages.search(q, signal), q ? `search-${q}` : null, ['conversations'])
}

/** Oldest first, one copy of each message (pages and live reloads overlap). */
export function mergeMessages(known: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const byId = new Map(known.map((message) => [message.id, message]))
  for (const message of incoming) byId.set(message.id, message)
  return [...byId.values()].sort((a, b) => a.id - b.id)
}

export interface Thread {
  detail: ConversationDetail | undefined
  /** Oldest first, as they are shown. */
  messages: ChatMessage[]
  error: unknown
  loading: boolean
  hasOlder: boolean
  loadingOlder: boolean
  loadOlder: () => void
  /** Show a message at once (the one just sent) without waiting for the live event. */
  add: (message: ChatMessage) => void
}

/**
 * One conversation: its newest page first, older pages on demand, and the newest page again
 * whenever the conversation topic is invalidated, merged into what is already shown, so
 * scrolling back is never lost to a live update.
 */
export function useThread(conversationId: number | null): Thread {
  const [detail, setDetail] = useState<ConversationDetail | undefined>(undefined)
  const [messages, setMessages] = useState<ChatMessage[]>([])
  const [nextBefore, setNextBefore] = useState<number | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)
  const [loadingOlder, setLoadingOlder] = useState(false)
  const current = useRef(conversationId)
  current.current = conversationId
  const latest = useRef(detail)
  latest.current = detail

  const loadLatest = useCallback(
    (id: number, first: boolean) => {
      if (first) setLoading(true)
      api.messages
        .conversation(id, { limit: PAGE })
        .then((page) => {
          if (current.current !== id) return
          setDetail(page)
          setMessages((known) => mergeMessages(first ? [] : known, page.messages))
          if (first) setNextBefore(page.next_before)
          setError(null)
        })
        .catch((err: unknown) => {
          if (current.current === id) setError(err)
        })
        .finally(() => {
          if (current.current === id) setLoading(false)
        })
    },
    [],
  )

  useEffect(() => {
    setDetail(undefined)
    setMessages([])
    setNextBefore(null)
    setError(null)
    if (conversationId === null) return
    loadLatest(conversationId, true)
    return subscribe('conversations', () => loadLatest(conversationId, false))
  }, [conversationId, loadLatest])

  const loadOlder = useCallback(() => {
    const id = current.current
    if (id === null || nextBefore === null || loadingOlder) return
    setLoadingOlder(true)
    api.messages
      .conversation(id, { before: nextBefore, limit: PAGE })
      .then((page) => {
        if (current.current !== id) return
        setMessages((known) => mergeMessages(known, page.messages))
        setNextBefore(page.next_before)
      })
      .catch((err: unknown) => setError(err))
      .finally(() => setLoadingOlder(false))
  }, [nextBefore, loadingOlder])

  // Another participant's read mark (live `conversation.read`): "Seen" follows at once.
  useEffect(() => {
    if (conversationId === null) return
    const onLive = (event: Event) => {
      const live = (event as CustomEvent<LiveEvent>).detail
      if (live.event !== 'conversation.read') return
      const data = live.data as { conversation_id?: number; user_id?: number; last_read_message_id?: number | null }
      if (data.conversation_id !== conversationId || data.user_id === undefined) return
      const mark = data.last_read_message_id ?? null
      const known = latest.current?.participants.some((p) => p.user_id === data.user_id) ?? false
      if (!known) {
        // Someone new read along: their name comes with the conversation.
        loadLatest(conversationId, false)
        return
      }
      setDetail((now) => {
        if (!now) return now
        return {
          ...now,
          participants: now.participants.map((p) =>
            p.user_id === data.user_id ? { ...p, last_read_message_id: mark } : p,
          ),
        }
      })
    }
    window.addEventListener('premier:live', onLive)
    return () => window.removeEventListener('premier:live', onLive)
  }, [conversationId, loadLatest])

  const add = useCallback((message: ChatMessage) => {
    setMessages((known) => mergeMessages(known, [message]))
  }, [])

  return {
    detail,
    messages,
    error,
    loading,
    hasOlder: nextBefore !== null,
    loadingOlder,
    loadOlder,
    add,
  }
}

/** Names of the others typing in this conversation now (live `conversation.typing`). */
export function useTyping(conversationId: number | null, myId: number): string[] {
  const [typing, setTyping] = useState<Record<number, { name: string; until: number }>>({})

  useEffect(() => {
    setTyping({})
    if (conversationId === null) return
    const onLive = (event: Event) => {
      const live = (event as CustomEvent<LiveEvent>).detail
      const data = live.data as { conversation_id?: number; user_id?: number; user_name?: string; sender_id?: number }
      if (data.conversation_id !== conversationId) return
      if (live.event === 'message.created') {
        // Their message has come: they stopped typing it.
        setTyping((now) => {
          if (data.sender_id === undefined || !(data.sender_id in now)) return now
          const next = { ...now }
          delete next[data.sender_id]
          return next
        })
        return
      }
      if (live.event !== 'conversation.typing' || data.user_id === undefined || data.user_id === myId) return
      const userId = data.user_id
      const name = data.user_name || 'Someone'
      setTyping((now) => ({ ...now, [userId]: { name, until: Date.now() + TYPING_SHOWN_MS } }))
    }
    window.addEventListener('premier:live', onLive)
    const timer = window.setInterval(() => {
      setTyping((now) => {
        const left = Object.entries(now).filter(([, t]) => t.until > Date.now())
        return left.length === Object.keys(now).length ? now : Object.fromEntries(left)
      })
    }, 1000)
    return () => {
      window.removeEventListener('premier:live', onLive)
      window.clearInterval(timer)
    }
  }, [conversationId, myId])

  return Object.values(typing).map((t) => t.name)
}
