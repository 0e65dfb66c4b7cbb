import { describe, expect, it } from 'vitest'
import type { User } from '../api/types'
import { canSee, homePath, NAV } from './access'

function user(role: User['role'], department: User['department'] = null): User {
  return {
    id: 1, email: 'someone@premier.test', full_name: 'Some One', phone: null, role, department,
    is_vip: false, is_active: true, locale: 'en', created_at: '2026-11-25T00:00:00Z',
  }
}

const visible = (u: User) => NAV.filter((item) => canSee(u, item.area)).map((item) => item.area)

describe('what each role sees', () => {
  it('guests see only guest pages and start by finding a room', () => {
    expect(visible(user('guest'))).toEqual(['find-room', 'my-bookings', 'room-service', 'my-requests', 'messages'])
    expect(homePath(user('guest'))).toBe('/rooms')
  })

  it('staff see their department and their inbox only', () => {
    expect(visible(user('staff', 'kitchen'))).toEqual(['kitchen', 'messages', 'manage-menu'])
    expect(visible(user('staff', 'housekeeping'))).toEqual(['service-desk', 'room-status', 'messages'])
    expect(visible(user('staff', 'maintenance'))).toEqual(['service-desk', 'room-status', 'messages'])
    expect(visible(user('staff', 'concierge'))).toEqual(['service-desk', 'guests', 'messages'])
    expect(visible(user('staff', 'front_desk'))).toEqual(['front-desk', 'bookings', 'service-desk', 'room-status', 'guests', 'messages'])
    expect(homePath(user('staff', 'housekeeping'))).toBe('/service')
    expect(homePath(user('staff', 'kitchen'))).toBe('/kitchen')
  })

  it('managers and admins see every staff board and no guest page', () => {
    for (const role of ['manager', 'admin'] as const) {
      expect(visible(user(role))).toEqual([
        'front-desk', 'bookings', 'kitchen', 'service-desk', 'room-status', 'guests', 'messages', 'delivery', 'messaging-stats',
        'manage-rooms', 'manage-menu', 'reviews', 'staff-accounts', 'audit', 'announcements',
      ])
    }
  })
})
