/** Which parts of the UI a signed-in user sees. The API enforces the same rules. */
import type { User } from '../api/types'

export type Area =
  | 'find-room'
  | 'my-bookings'
  | 'room-service'
  | 'my-requests'
  | 'front-desk'
  | 'bookings'
  | 'booking-page'
  | 'guests'
  | 'room-status'
  | 'kitchen'
  | 'service-desk'
  | 'messages'
  | 'delivery'
  | 'messaging-stats'
  | 'manage-rooms'
  | 'manage-menu'
  | 'reviews'
  | 'audit'
  | 'staff-accounts'
  | 'announcements'

export interface NavItem {
  area: Area
  path: string
  label: string
  /** For narrow screens. */
  short: string
}

export const NAV: NavItem[] = [
  { area: 'find-room', path: '/rooms', label: 'Find a room', short: 'Rooms' },
  { area: 'my-bookings', path: '/my-bookings', label: 'My bookings', short: 'Bookings' },
  { area: 'room-service', path: '/room-service', label: 'Room service', short: 'Dining' },
  { area: 'my-requests', path: '/requests', label: 'Requests', short: 'Requests' },
  { area: 'front-desk', path: '/desk', label: 'Today', short: 'Today' },
  { area: 'bookings', path: '/desk/bookings', label: 'Bookings', short: 'Bookings' },
  { area: 'kitchen', path: '/kitchen', label: 'Kitchen', short: 'Kitchen' },
  { area: 'service-desk', path: '/service', label: 'Service requests', short: 'Requests' },
  { area: 'room-status', path: '/room-status', label: 'Room status', short: 'Status' },
  { area: 'guests', path: '/guests', label: 'Guests', short: 'Guests' },
  { area: 'messages', path: '/messages', label: 'Messages', short: 'Chat' },
  { area: 'delivery', path: '/delivery', label: 'Email & SMS', short: 'Email' },
  { area: 'messaging-stats', path: '/messaging', label: 'Messaging stats', short: 'Stats' },
  { area: 'manage-rooms', path: '/manage/rooms', label: 'Rooms & rates', short: 'Rooms' },
  { area: 'manage-menu', path: '/manage/menu', label: 'Menu', short: 'Menu' },
  { area: 'reviews', path: '/manage/reviews', label: 'Reviews', short: 'Reviews' },
  { area: 'staff-accounts', path: '/manage/staff', label: 'Staff', short: 'Staff' },
  { area: 'audit', path: '/manage/activity', label: 'Activity', short: 'Activity' },
  { area: 'announcements', path: '/announcements', label: 'Announcements', short: 'News' },
]

export function isManagement(user: User): boolean {
  return user.role === 'manager' || user.role === 'admin'
}

/** Who may mark a room cleaned (the API's room_status/clean rule). */
export function mayCleanRooms(user: User): boolean {
  return isManagement(user) || user.department === 'housekeeping'
}

/** Who may post charges to a stay's folio (the API's folio/post_charge rule). */
export function mayPostCharges(user: User): boolean {
  return isManagement(user) || user.department === 'front_desk'
}

export function isStaff(user: User): boolean {
  return user.role !== 'guest'
}

export function canSee(user: User, area: Area): boolean {
  // Everyone has an inbox: guests write to a department, staff answer and chat together.
  if (area === 'messages') return true
  if (user.role === 'guest') {
    return ['find-room', 'my-bookings', 'room-service', 'my-requests', 'booking-page'].includes(area)
  }
  if (isManagement(user)) {
    return [
      'front-desk',
      'bookings',
      'booking-page',
      'guests',
      'room-status',
      'kitchen',
      'service-desk',
      'delivery',
      'messaging-stats',
      'manage-rooms',
      'manage-menu',
      'reviews',
      'staff-accounts',
      'audit',
      'announcements',
    ].includes(area)
  }
  switch (user.department) {
    case 'front_desk':
      return ['front-desk', 'bookings', 'booking-page', 'guests', 'room-status', 'service-desk'].includes(area)
    case 'kitchen':
      return area === 'kitchen' || area === 'manage-menu'
    case 'housekeeping':
    case 'maintenance':
      return area === 'room-status' || area === 'service-desk'
    case 'concierge':
      // The concierge deals with guests by name: their profiles, and the stays they ask about.
      return ['service-desk', 'guests', 'booking-page'].includes(area)
    default:
      return false
  }
}

/** Pages reached from within another area rather than from the main navigation. */
export const EXTRA_PATHS = { walkInBooking: '/desk/new-booking' } as const

export function homePath(user: User): string {
  return NAV.find((item) => canSee(user, item.area))?.path ?? '/'
}
