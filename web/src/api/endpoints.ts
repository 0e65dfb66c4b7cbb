/**
 * One function per endpoint the web UI calls, each through the client typed from the
 * OpenAPI document: the path template, its parameters, the body and the answer all come
 * from `schema.d.ts`, so an endpoint the server changed fails the type check here.
 */
import type { ClientPathsWithMethod } from 'openapi-fetch'
import { idempotent, type ApiClient, type TypedClient } from './client'
import type { paths } from './schema'
import type { Currency } from '../lib/money'
import type {
  AnnouncementIn,
  AnnouncementPreviewIn,
  BookingCreate,
  BookingStatus,
  CashPayment,
  ChargeCreate,
  ConversationCreate,
  ConversationStatus,
  EmailStatus,
  GuestCreate,
  GuestPreferencesIn,
  Inbox,
  MenuItemCreate,
  MenuItemUpdate,
  MessageSend,
  NotificationPreferencesIn,
  OrderCreate,
  OrderStatus,
  PaymentCreate,
  ProfileUpdate,
  PushSubscriptionIn,
  RegisterRequest,
  ReviewCreate,
  Role,
  RoomCreate,
  RoomRateCreate,
  RoomRateUpdate,
  RoomTypeCreate,
  RoomTypeUpdate,
  RoomUpdate,
  ServiceKind,
  ServiceRequestCreate,
  ServiceStatus,
  StaffCreate,
  UserUpdate,
} from './types'

/** The query a GET endpoint takes, as the OpenAPI document declares it. */
type QueryOf<P extends ClientPathsWithMethod<TypedClient, 'get'>> = NonNullable<paths[P]['get']['parameters']['query']>

export type NotificationQuery = QueryOf<'/api/v1/notifications'> & { limit: number }
export type NotificationCategory = NonNullable<NotificationQuery['category']>

export interface PageQuery {
  limit?: number
  offset?: number
}

export interface BookingFilters extends PageQuery {
  status?: BookingStatus | ''
  arriving_on?: string
  departing_on?: string
  guest_id?: number
  /** A reference, or part of the guest's name, email or phone (at least 2 characters). */
  q?: string
}

export interface EmailQueueFilters extends PageQuery {
  status?: EmailStatus | ''
  recipient?: string
}

export interface SmsQueueFilters extends PageQuery {
  status?: string
  to?: string
}

export interface ConversationFilters extends PageQuery {
  view?: 'all' | 'mine' | 'unassigned'
  department?: Inbox
  status?: ConversationStatus
}

/** What a call answered when it succeeded; the client throws an `ApiError` otherwise. */
async function ok<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T
}

/** The filters a page holds, with "any" (an empty choice) left out of the query. */
function filled<Q extends object>(query: Q): { [K in keyof Q]: Exclude<Q[K], ''> } {
  const kept: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(query)) if (value !== '') kept[key] = value
  return kept as { [K in keyof Q]: Exclude<Q[K], ''> }
}

export function endpoints(api: ApiClient) {
  const { typed: http, anonymous } = api
  return {
    auth: {
      login: (email: string, password: string) =>
        ok(anonymous.POST('/api/v1/auth/login', { body: { email, password } })),
      register: (data: RegisterRequest) => ok(anonymous.POST('/api/v1/auth/register', { body: data })),
      me: (signal?: AbortSignal) => ok(http.GET('/api/v1/auth/me', { signal })),
      updateProfile: (data: ProfileUpdate) => ok(http.PATCH('/api/v1/auth/me', { body: data })),
      forgotPassword: (email: string) =>
        ok(anonymous.POST('/api/v1/auth/password/forgot', { body: { email } })),
      resetPassword: (token: string, password: string) =>
        ok(anonymous.POST('/api/v1/auth/password/reset', { body: { token, password } })),
    },
    users: {
      guests: (search: string, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/users', { params: { query: { role: 'guest', search, limit: 10 } }, signal })),
      createGuest: (data: GuestCreate, idempotencyKey?: string) =>
        ok(http.POST('/api/v1/users/guests', { body: data, ...idempotent(idempotencyKey) })),
      list: (query: PageQuery & { role?: Role | ''; search?: string; staff_only?: boolean }, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/users', { params: { query: filled(query) }, signal })),
      create: (data: StaffCreate) => ok(http.POST('/api/v1/users', { body: data })),
      update: (id: number, data: UserUpdate) =>
        ok(http.PATCH('/api/v1/users/{user_id}', { params: { path: { user_id: id } }, body: data })),
      sendPasswordReset: (id: number) =>
        ok(http.POST('/api/v1/users/{user_id}/password-reset', { params: { path: { user_id: id } } })),
    },
    rooms: {
      types: (signal?: AbortSignal) => ok(anonymous.GET('/api/v1/rooms/types', { signal })),
      availability: (query: { check_in: string; check_out: string; guests: number }, signal?: AbortSignal) =>
        ok(anonymous.GET('/api/v1/rooms/availability', { params: { query }, signal })),
      allTypes: (signal?: AbortSignal) => ok(http.GET('/api/v1/rooms/types/all', { signal })),
      createType: (data: RoomTypeCreate) => ok(http.POST('/api/v1/rooms/types', { body: data })),
      updateType: (id: number, data: RoomTypeUpdate) =>
        ok(http.PATCH('/api/v1/rooms/types/{room_type_id}', { params: { path: { room_type_id: id } }, body: data })),
      setGallery: (id: number, uploadIds: number[]) =>
        ok(
          http.PUT('/api/v1/rooms/types/{room_type_id}/gallery', {
            params: { path: { room_type_id: id } },
            body: { upload_ids: uploadIds },
          }),
        ),
      rates: (typeId: number, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/rooms/types/{room_type_id}/rates', { params: { path: { room_type_id: typeId } }, signal })),
      addRate: (typeId: number, data: RoomRateCreate) =>
        ok(http.POST('/api/v1/rooms/types/{room_type_id}/rates', { params: { path: { room_type_id: typeId } }, body: data })),
      updateRate: (id: number, data: RoomRateUpdate) =>
        ok(http.PATCH('/api/v1/rooms/rates/{rate_id}', { params: { path: { rate_id: id } }, body: data })),
      deleteRate: (id: number): Promise<void> =>
        ok(http.DELETE('/api/v1/rooms/rates/{rate_id}', { params: { path: { rate_id: id } } })),
      list: (signal?: AbortSignal) => ok(http.GET('/api/v1/rooms', { signal })),
      create: (data: RoomCreate) => ok(http.POST('/api/v1/rooms', { body: data })),
      update: (id: number, data: RoomUpdate) =>
        ok(http.PATCH('/api/v1/rooms/{room_id}', { params: { path: { room_id: id } }, body: data })),
      board: (signal?: AbortSignal) => ok(http.GET('/api/v1/rooms/status', { signal })),
      markClean: (id: number) => ok(http.POST('/api/v1/rooms/{room_id}/clean', { params: { path: { room_id: id } } })),
      takeOutOfService: (id: number, reason: string) =>
        ok(http.POST('/api/v1/rooms/{room_id}/out-of-service', { params: { path: { room_id: id } }, body: { reason } })),
      returnToService: (id: number) =>
        ok(http.DELETE('/api/v1/rooms/{room_id}/out-of-service', { params: { path: { room_id: id } } })),
    },
    bookings: {
      list: (query: BookingFilters, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/bookings', { params: { query: filled(query) }, signal })),
      get: (id: number, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/bookings/{booking_id}', { params: { path: { booking_id: id } }, signal })),
      /** The booking's page: the stay, its guest, payments, requests, conversations, history. */
      overview: (id: number, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/bookings/{booking_id}/overview', { params: { path: { booking_id: id } }, signal })),
      create: (data: BookingCreate, idempotencyKey?: string) =>
        ok(http.POST('/api/v1/bookings', { body: data, ...idempotent(idempotencyKey) })),
      confirm: (id: number) =>
        ok(http.POST('/api/v1/bookings/{booking_id}/confirm', { params: { path: { booking_id: id } } })),
      cancel: (id: number, reason?: string) =>
        ok(
          http.POST('/api/v1/bookings/{booking_id}/cancel', {
            params: { path: { booking_id: id } },
            body: reason ? { reason } : {},
          }),
        ),
      checkIn: (id: number) =>
        ok(http.POST('/api/v1/bookings/{booking_id}/check-in', { params: { path: { booking_id: id } } })),
      /** Refused (409 balance_due) while the folio is open, unless a manager gives a reason. */
      checkOut: (id: number, overrideReason?: string) =>
        ok(
          http.POST('/api/v1/bookings/{booking_id}/check-out', {
            params: { path: { booking_id: id } },
            body: overrideReason ? { override_reason: overrideReason } : undefined,
          }),
        ),
      /** Stay changes: with `preview`, checked and priced but not made. */
      move: (id: number, roomId: number, preview = false) =>
        ok(
          http.POST('/api/v1/bookings/{booking_id}/move', {
            params: { path: { booking_id: id } },
            body: { room_id: roomId, preview },
          }),
        ),
      extend: (id: number, checkOut: string, preview = false) =>
        ok(
          http.POST('/api/v1/bookings/{booking_id}/extend', {
            params: { path: { booking_id: id } },
            body: { check_out: checkOut, preview },
          }),
        ),
      departEarly: (id: number, preview = false) =>
        ok(
          http.POST('/api/v1/bookings/{booking_id}/early-departure', {
            params: { path: { booking_id: id } },
            body: { preview },
          }),
        ),
      noShow: (id: number, preview = false) =>
        ok(http.POST('/api/v1/bookings/{booking_id}/no-show', { params: { path: { booking_id: id } }, body: { preview } })),
    },
    guests: {
      search: (query: PageQuery & { q?: string }, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/guests', { params: { query }, signal })),
      profile: (id: number, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/guests/{guest_id}', { params: { path: { guest_id: id } }, signal })),
      setPreferences: (id: number, data: GuestPreferencesIn) =>
        ok(http.PUT('/api/v1/guests/{guest_id}/preferences', { params: { path: { guest_id: id } }, body: data })),
      notes: (id: number, query: PageQuery, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/guests/{guest_id}/notes', { params: { path: { guest_id: id }, query }, signal })),
      addNote: (id: number, body: string, idempotencyKey?: string) =>
        ok(
          http.POST('/api/v1/guests/{guest_id}/notes', {
            params: { path: { guest_id: id } },
            body: { body },
            ...idempotent(idempotencyKey),
          }),
        ),
    },
    folio: {
      get: (bookingId: number, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/bookings/{booking_id}/folio', { params: { path: { booking_id: bookingId } }, signal })),
      postCharge: (bookingId: number, data: ChargeCreate, idempotencyKey?: string) =>
        ok(
          http.POST('/api/v1/bookings/{booking_id}/folio/charges', {
            params: { path: { booking_id: bookingId } },
            body: data,
            ...idempotent(idempotencyKey),
          }),
        ),
      voidCharge: (bookingId: number, chargeId: number, reason: string) =>
        ok(
          http.POST('/api/v1/bookings/{booking_id}/folio/charges/{charge_id}/void', {
            params: { path: { booking_id: bookingId, charge_id: chargeId } },
            body: { reason },
          }),
        ),
    },
    menu: {
      list: (signal?: AbortSignal) => ok(http.GET('/api/v1/menu', { signal })),
      all: (signal?: AbortSignal) =>
        ok(http.GET('/api/v1/menu', { params: { query: { include_unavailable: true } }, signal })),
      categories: (signal?: AbortSignal) => ok(http.GET('/api/v1/menu/categories', { signal })),
      renameCategory: (name: string, newName: string) =>
        ok(http.POST('/api/v1/menu/categories/rename', { body: { name, new_name: newName } })),
      create: (data: MenuItemCreate) => ok(http.POST('/api/v1/menu', { body: data })),
      update: (id: number, data: MenuItemUpdate) =>
        ok(http.PATCH('/api/v1/menu/{item_id}', { params: { path: { item_id: id } }, body: data })),
    },
    orders: {
      list: (query: PageQuery & { status?: OrderStatus }, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/orders', { params: { query }, signal })),
      create: (data: OrderCreate, idempotencyKey?: string) =>
        ok(http.POST('/api/v1/orders', { body: data, ...idempotent(idempotencyKey) })),
      setStatus: (id: number, status: OrderStatus) =>
        ok(http.POST('/api/v1/orders/{order_id}/status', { params: { path: { order_id: id } }, body: { status } })),
    },
    serviceRequests: {
      list: (
        query: PageQuery & { status?: ServiceStatus | ''; kind?: ServiceKind | ''; assignee_id?: number },
        signal?: AbortSignal,
      ) => ok(http.GET('/api/v1/service-requests', { params: { query: filled(query) }, signal })),
      create: (data: ServiceRequestCreate, idempotencyKey?: string) =>
        ok(http.POST('/api/v1/service-requests', { body: data, ...idempotent(idempotencyKey) })),
      assign: (id: number, assigneeId: number) =>
        ok(
          http.POST('/api/v1/service-requests/{request_id}/assign', {
            params: { path: { request_id: id } },
            body: { assignee_id: assigneeId },
          }),
        ),
      setStatus: (id: number, status: ServiceStatus) =>
        ok(
          http.POST('/api/v1/service-requests/{request_id}/status', {
            params: { path: { request_id: id } },
            body: { status },
          }),
        ),
    },
    payments: {
      list: (query: PageQuery & { booking_id?: number }, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/payments', { params: { query }, signal })),
      cash: (data: CashPayment, idempotencyKey?: string) =>
        ok(http.POST('/api/v1/payments/cash', { body: data, ...idempotent(idempotencyKey) })),
      receipt: (id: number) =>
        ok(http.GET('/api/v1/payments/{payment_id}/receipt', { params: { path: { payment_id: id } } })),
      /** `currency` is a booking's or an order's, which the API's answers type as any string. */
      methods: (currency: string, amount: number, signal?: AbortSignal) =>
        ok(
          http.GET('/api/v1/payments/methods', {
            params: { query: { currency: currency as Currency, amount } },
            signal,
          }),
        ),
      start: (data: PaymentCreate, idempotencyKey?: string) =>
        ok(http.POST('/api/v1/payments', { body: data, ...idempotent(idempotencyKey) })),
      get: (id: number, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/payments/{payment_id}', { params: { path: { payment_id: id } }, signal })),
      refresh: (id: number) =>
        ok(http.POST('/api/v1/payments/{payment_id}/refresh', { params: { path: { payment_id: id } } })),
      void: (id: number, reason: string) =>
        ok(http.POST('/api/v1/payments/{payment_id}/void', { params: { path: { payment_id: id } }, body: { reason } })),
      history: (id: number, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/payments/{payment_id}/history', { params: { path: { payment_id: id } }, signal })),
    },
    audit: {
      list: (
        query: PageQuery & { resource?: string; resource_id?: number; actor_id?: number },
        signal?: AbortSignal,
      ) => ok(http.GET('/api/v1/audit', { params: { query }, signal })),
    },
    reviews: {
      list: (query: PageQuery & { rating?: number } = {}, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/reviews', { params: { query }, signal })),
      create: (data: ReviewCreate, idempotencyKey?: string) =>
        ok(http.POST('/api/v1/reviews', { body: data, ...idempotent(idempotencyKey) })),
      reply: (id: number, reply: string) =>
        ok(http.PUT('/api/v1/reviews/{review_id}/reply', { params: { path: { review_id: id } }, body: { reply } })),
    },
    emails: {
      queue: (query: EmailQueueFilters, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/emails/queue', { params: { query: filled(query) }, signal })),
      stats: (days: number, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/emails/stats', { params: { query: { days } }, signal })),
      retry: (id: number) => ok(http.POST('/api/v1/emails/{email_id}/retry', { params: { path: { email_id: id } } })),
      cancel: (id: number) => ok(http.POST('/api/v1/emails/{email_id}/cancel', { params: { path: { email_id: id } } })),
      captured: (query: PageQuery, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/emails/captured', { params: { query }, signal })),
      capturedMessage: (id: number, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/emails/captured/{message_id}', { params: { path: { message_id: id } }, signal })),
    },
    sms: {
      queue: (query: SmsQueueFilters, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/sms/queue', { params: { query: filled(query) }, signal })),
      stats: (days: number, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/sms/stats', { params: { query: { days } }, signal })),
    },
    notifications: {
      list: (query: NotificationQuery, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/notifications', { params: { query }, signal })),
      unreadCount: (signal?: AbortSignal) => ok(http.GET('/api/v1/notifications/unread-count', { signal })),
      markRead: (id: number) =>
        ok(http.POST('/api/v1/notifications/{notification_id}/read', { params: { path: { notification_id: id } } })),
      markUnread: (id: number) =>
        ok(http.POST('/api/v1/notifications/{notification_id}/unread', { params: { path: { notification_id: id } } })),
      markAllRead: () => ok(http.POST('/api/v1/notifications/read-all')),
      remove: (id: number): Promise<void> =>
        ok(http.DELETE('/api/v1/notifications/{notification_id}', { params: { path: { notification_id: id } } })),
      clearAll: () => ok(http.DELETE('/api/v1/notifications')),
      preferences: (signal?: AbortSignal) => ok(http.GET('/api/v1/notifications/preferences', { signal })),
      savePreferences: (body: NotificationPreferencesIn) =>
        ok(http.PUT('/api/v1/notifications/preferences', { body })),
    },
    announcements: {
      list: (query: PageQuery, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/announcements', { params: { query }, signal })),
      templates: (signal?: AbortSignal) => ok(http.GET('/api/v1/announcements/templates', { signal })),
      preview: (body: AnnouncementPreviewIn, signal?: AbortSignal) =>
        ok(http.POST('/api/v1/announcements/preview', { body, signal })),
      create: (body: AnnouncementIn) => ok(http.POST('/api/v1/announcements', { body })),
      send: (id: number) =>
        ok(http.POST('/api/v1/announcements/{announcement_id}/send', { params: { path: { announcement_id: id } } })),
      cancel: (id: number) =>
        ok(http.POST('/api/v1/announcements/{announcement_id}/cancel', { params: { path: { announcement_id: id } } })),
      remove: (id: number): Promise<void> =>
        ok(http.DELETE('/api/v1/announcements/{announcement_id}', { params: { path: { announcement_id: id } } })),
      progress: (id: number, signal?: AbortSignal) =>
        ok(
          http.GET('/api/v1/announcements/{announcement_id}/progress', {
            params: { path: { announcement_id: id } },
            signal,
          }),
        ),
      acknowledgements: (id: number, signal?: AbortSignal) =>
        ok(
          http.GET('/api/v1/announcements/{announcement_id}/acknowledgements', {
            params: { path: { announcement_id: id } },
            signal,
          }),
        ),
      emergencies: (signal?: AbortSignal) => ok(http.GET('/api/v1/announcements/emergencies', { signal })),
      acknowledge: (id: number) =>
        ok(
          http.POST('/api/v1/announcements/{announcement_id}/acknowledge', {
            params: { path: { announcement_id: id } },
          }),
        ),
    },
    messages: {
      conversations: (query: ConversationFilters, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/messages/conversations', { params: { query }, signal })),
      open: (data: ConversationCreate, idempotencyKey?: string) =>
        ok(http.POST('/api/v1/messages/conversations', { body: data, ...idempotent(idempotencyKey) })),
      conversation: (id: number, query: { before?: number; limit?: number }, signal?: AbortSignal) =>
        ok(
          http.GET('/api/v1/messages/conversations/{conversation_id}', {
            params: { path: { conversation_id: id }, query },
            signal,
          }),
        ),
      send: (data: MessageSend) => ok(http.POST('/api/v1/messages/send', { body: data })),
      typing: (id: number, internal: boolean): Promise<void> =>
        ok(
          http.POST('/api/v1/messages/conversations/{conversation_id}/typing', {
            params: { path: { conversation_id: id } },
            body: { internal },
          }),
        ),
      assign: (id: number, assigneeId: number | null) =>
        ok(
          http.POST('/api/v1/messages/conversations/{conversation_id}/assign', {
            params: { path: { conversation_id: id } },
            body: { assignee_id: assigneeId },
          }),
        ),
      close: (id: number) =>
        ok(
          http.POST('/api/v1/messages/conversations/{conversation_id}/close', {
            params: { path: { conversation_id: id } },
          }),
        ),
      reopen: (id: number) =>
        ok(
          http.POST('/api/v1/messages/conversations/{conversation_id}/reopen', {
            params: { path: { conversation_id: id } },
          }),
        ),
      unread: (signal?: AbortSignal) => ok(http.GET('/api/v1/messages/unread', { signal })),
      /** `department` is a conversation's inbox, which the pages hold as a string. */
      presence: (department: string, signal?: AbortSignal) =>
        ok(
          http.GET('/api/v1/messages/presence/{department}', {
            params: { path: { department: department as Inbox } },
            signal,
          }),
        ),
      markRead: (messageId: number) =>
        ok(http.PATCH('/api/v1/messages/{message_id}/read', { params: { path: { message_id: messageId } } })),
      search: (q: string, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/messages/search', { params: { query: { q, limit: 20 } }, signal })),
      cannedReplies: (conversationId: number, signal?: AbortSignal) =>
        ok(http.GET('/api/v1/messages/canned-replies', { params: { query: { conversation_id: conversationId } }, signal })),
    },
    push: {
      publicKey: () => ok(http.GET('/api/v1/push/public-key')),
      devices: (signal?: AbortSignal) => ok(http.GET('/api/v1/push/subscriptions', { signal })),
      subscribe: (body: PushSubscriptionIn) => ok(http.POST('/api/v1/push/subscriptions', { body })),
      unsubscribe: (body: { device_id: string }): Promise<void> =>
        ok(http.POST('/api/v1/push/subscriptions/unsubscribe', { body })),
    },
  }
}

export type Endpoints = ReturnType<typeof endpoints>
