import { describe, expect, it } from 'vitest'
import type { User } from '../api/types'
import { channelsFor, topicsFor } from './useLiveUpdates'

describe('what a live event makes stale', () => {
  it('a new notification refreshes the bell', () => {
    expect(topicsFor('notification.created')).toEqual(['notifications'])
  })

  it('a booking change refreshes bookings, availability, the room board and its bill', () => {
    expect(topicsFor('booking.confirmed')).toEqual(['bookings', 'availability', 'rooms', 'folio'])
  })

  it('a room cleaned or taken out of service refreshes the room board', () => {
    expect(topicsFor('room.status_changed')).toEqual(['availability', 'rooms'])
  })
})

describe('the folio', () => {
  it('a charge, an order to the room or a payment refreshes an open bill', () => {
    expect(topicsFor('folio.changed')).toEqual(['folio'])
    expect(topicsFor('order.created')).toContain('folio')
    expect(topicsFor('payment.status_changed')).toContain('folio')
  })
})

describe('announcements', () => {
  it('refresh the notification views (bell, banner, announcements page)', () => {
    expect(topicsFor('announcement.sent')).toEqual(['notifications'])
    expect(topicsFor('notification.state_changed')).toEqual(['notifications'])
  })
})

describe('messaging', () => {
  it('a new message or a conversation change refreshes the inbox and unread counts', () => {
    expect(topicsFor('message.created')).toEqual(['conversations'])
    expect(topicsFor('conversation.updated')).toEqual(['conversations'])
  })

  it('someone typing reloads nothing', () => {
    expect(topicsFor('conversation.typing')).toEqual([])
    expect(topicsFor('conversation.read')).toEqual([])
  })
})

describe('presence', () => {
  const base = { email: 'x@hotel.test', full_name: 'X', is_active: true, is_vip: false } as const

  it('someone coming or going refreshes who is shown online', () => {
    expect(topicsFor('presence.changed')).toEqual(['presence'])
    expect(topicsFor('presence.available')).toEqual(['presence'])
  })

  it('a guest hears whether each inbox is online, staff who of their department is', () => {
    const guest = { ...base, id: 1, role: 'guest', department: null } as unknown as User
    const desk = { ...base, id: 2, role: 'staff', department: 'front_desk' } as unknown as User
    const guestChannels = channelsFor(guest).map((c) => c.channel)
    expect(guestChannels).toContain('online:front_desk')
    expect(guestChannels.some((c) => c.startsWith('presence:'))).toBe(false)
    expect(channelsFor(desk).map((c) => c.channel)).toContain('presence:front_desk')
  })
})
