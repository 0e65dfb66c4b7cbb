import { api } from '../api'
import type { User } from '../api/types'
import { INBOXES } from '../api/types'
import { invalidate, type Topic } from '../lib/invalidation'
import { chime, soundOn } from '../lib/sound'
import { sessionTokens } from '../lib/tokens'
import { reportUnread } from '../lib/unreadMessages'
import type { ChannelSpec, LiveEvent } from '../lib/websocket'
import { type LiveConnection, useWebSocket } from './useWebSocket'

const ALL_TOPICS: Topic[] = [
  'bookings',
  'orders',
  'folio',
  'service-requests',
  'reviews',
  'availability',
  'rooms',
  'notifications',
  'conversations',
  'presence',
]

/** What each live event makes stale; pages reload what they show (see useResource). */
export function topicsFor(event: string): Topic[] {
  const kind = event.split('.')[0]
  switch (kind) {
    case 'booking':
      return ['bookings', 'availability', 'rooms', 'folio']
    case 'room':
      return ['availability', 'rooms']
    case 'order':
      return ['orders', 'folio']
    case 'payment':
      return ['payments', 'bookings', 'orders', 'folio']
    case 'folio':
      return ['folio']
    case 'service_request':
      return ['service-requests']
    case 'review':
      return ['reviews']
    case 'notification':
    case 'announcement':
      return ['notifications']
    case 'message':
      return ['conversations']
    case 'presence':
      return ['presence']
    case 'conversation':
      // Someone typing changes no data, and a read mark only the open conversation's
      // "Seen": it shows both itself (see useTyping and useThread).
      return event === 'conversation.typing' || event === 'conversation.read' ? [] : ['conversations']
    default:
      return []
  }
}

/** The channels a user listens on for the whole session: guests hear whether each inbox is
 *  online (`online:`), staff who of their department is (`presence:`), managers all. */
export function channelsFor(user: User): ChannelSpec[] {
  if (user.role === 'guest') {
    return [`user:${user.id}`, ...INBOXES.map((inbox) => `online:${inbox}`)].map((channel) => ({ channel }))
  }
  const channels = [`user:${user.id}`]
  if (user.role === 'manager' || user.role === 'admin') {
    channels.push(
      'role:manager',
      'department:front_desk',
      'department:kitchen',
      'department:housekeeping',
      'department:concierge',
      ...INBOXES.map((inbox) => `presence:${inbox}`),
    )
  } else if (user.department) {
    channels.push(`department:${user.department}`, `presence:${user.department}`)
  }
  return channels.map((channel) => ({ channel }))
}

function expiresSoon(token: string): boolean {
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number }
    return !claims.exp || claims.exp * 1000 - Date.now() < 90_000
  } catch {
    return true
  }
}

/** The access token, refreshed first (through the API client) when it is about to expire. */
async function freshToken(): Promise<string | null> {
  const tokens = sessionTokens.get()
  if (!tokens) return null
  if (expiresSoon(tokens.access_token)) await api.auth.me().catch(() => undefined)
  return sessionTokens.get()?.access_token ?? null
}

/** Live updates for the signed-in user: stale views reload, new service requests chime, and
 *  so do new notifications where this device turned the sound on. */
export function useLiveUpdates(user: User | null): LiveConnection {
  return useWebSocket({
    userKey: user ? user.id : null,
    getToken: freshToken,
    channels: user ? channelsFor(user) : [],
    onEvent: (event: LiveEvent) => {
      invalidate(...topicsFor(event.event))
      const total = (event.data as { unread_total?: unknown } | undefined)?.unread_total
      if (event.event === 'conversation.updated' && typeof total === 'number' && user) {
        // Read or unread in some tab: every tab's count follows without asking again.
        reportUnread(user.id, total)
      }
      if (event.event === 'service_request.created' && user && user.role !== 'guest') chime()
      else if (event.event === 'notification.created' && soundOn()) chime()
      if (
        event.event.startsWith('announcement.') ||
        event.event === 'notification.created' ||
        event.event === 'conversation.typing' ||
        event.event === 'conversation.read' ||
        event.event === 'message.created'
      ) {
        window.dispatchEvent(new CustomEvent('premier:live', { detail: event }))
      }
    },
    onResync: () => invalidate(...ALL_TOPICS),
  })
}
