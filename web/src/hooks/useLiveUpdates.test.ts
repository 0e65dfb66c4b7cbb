import { describe, expect, it } from 'vitest'
import { topicsFor } from './useLiveUpdates'

describe('what a live event makes stale', () => {
  it('a new notification refreshes the bell', () => {
    expect(topicsFor('notification.created')).toEqual(['notifications'])
  })

  it('a booking change refreshes bookings, availability and the room board', () => {
    expect(topicsFor('booking.confirmed')).toEqual(['bookings', 'availability', 'rooms'])
  })

  it('a room cleaned or taken out of service refreshes the room board', () => {
    expect(topicsFor('room.status_changed')).toEqual(['availability', 'rooms'])
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
