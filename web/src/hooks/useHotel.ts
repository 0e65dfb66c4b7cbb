/** Data hooks for the hotel's resources; each reloads when its topic is invalidated. */
import { api } from '../api'
import type {
  BookingFilters,
  EmailQueueFilters,
  NotificationQuery,
  PageQuery,
  SmsQueueFilters,
} from '../api/endpoints'
import type { OrderStatus, ServiceKind, ServiceStatus } from '../api/types'
import { useResource } from './useResource'

export interface StaySearch {
  check_in: string
  check_out: string
  guests: number
}

export function useAvailability(search: StaySearch | null) {
  return useResource(
    (signal) => api.rooms.availability(search!, signal),
    search ? JSON.stringify(search) : null,
    ['availability'],
  )
}

export function useBookings(filters: BookingFilters) {
  return useResource((signal) => api.bookings.list(filters, signal), JSON.stringify(filters), [
    'bookings',
  ])
}

/** The room status board; every room change, arrival and departure reloads it. */
export function useRoomBoard() {
  return useResource((signal) => api.rooms.board(signal), 'room-board', ['rooms'])
}

export function useMenu() {
  return useResource((signal) => api.menu.list(signal), 'menu', ['menu'])
}

export function useOrders(query: PageQuery & { status?: OrderStatus }) {
  return useResource((signal) => api.orders.list(query, signal), JSON.stringify(query), ['orders'])
}

export function useServiceRequests(
  query: PageQuery & { status?: ServiceStatus | ''; kind?: ServiceKind | ''; assignee_id?: number },
) {
  return useResource(
    (signal) => api.serviceRequests.list(query, signal),
    JSON.stringify(query),
    ['service-requests'],
  )
}

export function usePayments(bookingId: number | null) {
  return useResource(
    (signal) => api.payments.list({ booking_id: bookingId!, limit: 50 }, signal),
    bookingId === null ? null : `payments-${bookingId}`,
    ['payments'],
  )
}

/** A stay's folio (its running bill); live charges, orders and payments reload it. */
export function useFolio(bookingId: number) {
  return useResource((signal) => api.folio.get(bookingId, signal), `folio-${bookingId}`, ['folio'])
}

/** The signed-in guest's own payments (the API shows a guest only theirs). */
export function useMyPayments() {
  return useResource((signal) => api.payments.list({ limit: 100 }, signal), 'payments-mine', ['payments'])
}

export function useReviews(enabled = true) {
  return useResource((signal) => api.reviews.list({ limit: 100 }, signal), enabled ? 'reviews' : null, [
    'reviews',
  ])
}

export function useEmailQueue(filters: EmailQueueFilters) {
  return useResource((signal) => api.emails.queue(filters, signal), JSON.stringify(filters), ['delivery'])
}

export function useCapturedMail(query: PageQuery) {
  return useResource((signal) => api.emails.captured(query, signal), JSON.stringify(query), ['delivery'])
}

export function useCapturedMessage(id: number | null) {
  return useResource(
    (signal) => api.emails.capturedMessage(id!, signal),
    id === null ? null : `captured-${id}`,
  )
}

export function useSmsQueue(filters: SmsQueueFilters) {
  return useResource((signal) => api.sms.queue(filters, signal), JSON.stringify(filters), ['delivery'])
}

export function useMessagingStats(days: number) {
  return useResource(
    (signal) => Promise.all([api.emails.stats(days, signal), api.sms.stats(days, signal)]),
    `stats-${days}`,
    ['delivery'],
  )
}

export function useUnreadCount(enabled: boolean) {
  return useResource((signal) => api.notifications.unreadCount(signal), enabled ? 'unread' : null, [
    'notifications',
  ])
}

export function useNotifications(query: NotificationQuery | null) {
  return useResource(
    (signal) => api.notifications.list(query!, signal),
    query ? `notifications-${JSON.stringify(query)}` : null,
    ['notifications'],
  )
}

export function useNotificationPreferences() {
  return useResource((signal) => api.notifications.preferences(signal), 'preferences', ['notifications'])
}

/** One booking's page: refreshed when the booking, its payments, requests or chats change. */
export function useBookingOverview(bookingId: number) {
  return useResource((signal) => api.bookings.overview(bookingId, signal), `booking-${bookingId}`, [
    'bookings',
    'payments',
    'service-requests',
    'conversations',
  ])
}

export function useGuests(query: PageQuery & { q?: string }) {
  return useResource((signal) => api.guests.search(query, signal), JSON.stringify(query), ['guests', 'bookings'])
}

export function useGuestProfile(guestId: number | null) {
  return useResource(
    (signal) => api.guests.profile(guestId!, signal),
    guestId === null ? null : `guest-${guestId}`,
    ['guests', 'bookings'],
  )
}

export function useGuestNotes(guestId: number, limit: number) {
  return useResource(
    (signal) => api.guests.notes(guestId, { limit }, signal),
    `guest-notes-${guestId}-${limit}`,
    ['guests'],
  )
}
