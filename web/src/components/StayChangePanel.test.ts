import { describe, expect, it } from 'vitest'
import type { Booking } from '../api/types'
import { changesFor } from './StayChangePanel'

function booking(status: Booking['status'], check_in: string, check_out: string): Booking {
  return {
    id: 1, reference: 'PH-ABCDEF', guest_id: 2, guest_name: 'Guest', guest_email: 'g@premier.test',
    room_id: 3, room_number: '101', room_type_id: 4, room_type_name: 'Double', check_in, check_out,
    nights: 2, guests: 1, status, total_amount: 100, currency: 'KES', special_requests: '',
    cancellation_reason: null, created_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-01T00:00:00Z',
  }
}

describe('the stay changes the desk is offered', () => {
  it('a stay still to come may be moved or extended, not checked out early', () => {
    expect(changesFor(booking('confirmed', '2026-12-10', '2026-12-12'), '2026-12-05')).toEqual(['move', 'extend'])
  })

  it('a guest in the house may leave early until their last day', () => {
    const staying = booking('checked_in', '2026-12-04', '2026-12-07')
    expect(changesFor(staying, '2026-12-05')).toEqual(['move', 'extend', 'early'])
    expect(changesFor(staying, '2026-12-07')).toEqual(['move', 'extend'])
  })

  it('a confirmed guest is a no-show only after the arrival day', () => {
    const missed = booking('confirmed', '2026-12-04', '2026-12-07')
    expect(changesFor(missed, '2026-12-04')).not.toContain('no-show')
    expect(changesFor(missed, '2026-12-05')).toContain('no-show')
  })

  it('an ended stay has nothing to change', () => {
    expect(changesFor(booking('checked_out', '2026-12-01', '2026-12-03'), '2026-12-05')).toEqual([])
    expect(changesFor(booking('no_show', '2026-12-01', '2026-12-03'), '2026-12-05')).toEqual([])
  })
})
