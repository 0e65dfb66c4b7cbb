/** One typed function per endpoint the web UI calls. */
import type { ApiClient } from './client'
import type {
  Acknowledgements,
  Announcement,
  AnnouncementIn,
  AnnouncementPage,
  AnnouncementPreview,
  AnnouncementPreviewIn,
  AnnouncementProgress,
  AnnouncementTemplate,
  Availability,
  Booking,
  BookingCreate,
  BookingOverview,
  GuestNote,
  GuestPreferences,
  GuestPreferencesIn,
  GuestProfile,
  GuestSummary,
  RoomBoardEntry,
  StayChange,
  BookingStatus,
  CashPayment,
  ChargeCreate,
  Folio,
  FolioCharge,
  Changed,
  EmailOut,
  EmailStats,
  EmailStatus,
  MenuCategory,
  MenuItem,
  MenuItemCreate,
  MenuItemUpdate,
  NotificationPage,
  NotificationPreferences,
  NotificationPreferencesIn,
  Notification,
  Order,
  CapturedEmail,
  CapturedEmailDetail,
  CannedReply,
  ChatMessage,
  Conversation,
  ConversationCreate,
  ConversationDetail,
  ConversationStatus,
  Inbox,
  MessageSearchHit,
  MessageSend,
  MessageUnread,
  DepartmentPresence,
  ReadState,
  OrderCreate,
  OrderStatus,
  PushDevice,
  PushPublicKey,
  AuditEntry,
  GuestCreate,
  ProfileUpdate,
  Receipt,
  PushSubscriptionIn,
  Page,
  Payment,
  PaymentCreate,
  PaymentOption,
  PaymentHistoryEntry,
  RegisterRequest,
  Review,
  ReviewCreate,
  Room,
  RoomCreate,
  RoomRate,
  RoomRateCreate,
  RoomRateUpdate,
  RoomType,
  RoomTypeCreate,
  RoomTypeUpdate,
  RoomUpdate,
  StaffCreate,
  UserUpdate,
  Role,
  ServiceKind,
  ServiceRequest,
  ServiceRequestCreate,
  ServiceStatus,
  SmsOut,
  SmsStats,
  TokenPair,
  UnreadCount,
  User,
} from './types'

const V1 = '/api/v1'

export interface NotificationQuery {
  limit: number
  cursor?: number
  state?: 'all' | 'read' | 'unread'
  category?: string
}

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

export function endpoints(api: ApiClient) {
  return {
    auth: {
      login: (email: string, password: string) =>
        api.post<TokenPair>(`${V1}/auth/login`, { email, password }, { anonymous: true }),
      register: (data: RegisterRequest) =>
        api.post<TokenPair>(`${V1}/auth/register`, data, { anonymous: true }),
      me: (signal?: AbortSignal) => api.get<User>(`${V1}/auth/me`, { signal }),
      updateProfile: (data: ProfileUpdate) => api.patch<User>(`${V1}/auth/me`, data),
      forgotPassword: (email: string) =>
        api.post<{ status: string }>(`${V1}/auth/password/forgot`, { email }, { anonymous: true }),
      resetPassword: (token: string, password: string) =>
        api.post<{ status: string }>(`${V1}/auth/password/reset`, { token, password }, { anonymous: true }),
    },
    users: {
      guests: (search: string, signal?: AbortSignal) =>
        api.get<Page<User>>(`${V1}/users`, { query: { role: 'guest', search, limit: 10 }, signal }),
      createGuest: (data: GuestCreate, idempotencyKey?: string) =>
        api.post<User>(`${V1}/users/guests`, data, { idempotencyKey }),
      list: (query: PageQuery & { role?: Role | ''; search?: string; staff_only?: boolean }, signal?: AbortSignal) =>
        api.get<Page<User>>(`${V1}/users`, { query: { ...query }, signal }),
      create: (data: StaffCreate) => api.post<User>(`${V1}/users`, data),
      update: (id: number, data: UserUpdate) => api.patch<User>(`${V1}/users/${id}`, data),
      sendPasswordReset: (id: number) =>
        api.post<{ status: string }>(`${V1}/users/${id}/password-reset`),
    },
    rooms: {
      types: (signal?: AbortSignal) => api.get<RoomType[]>(`${V1}/rooms/types`, { signal, anonymous: true }),
      availability: (
        query: { check_in: string; check_out: string; guests: number },
        signal?: AbortSignal,
      ) => api.get<Availability>(`${V1}/rooms/availability`, { query, signal, anonymous: true }),
      allTypes: (signal?: AbortSignal) => api.get<RoomType[]>(`${V1}/rooms/types/all`, { signal }),
      createType: (data: RoomTypeCreate) => api.post<RoomType>(`${V1}/rooms/types`, data),
      updateType: (id: number, data: RoomTypeUpdate) => api.patch<RoomType>(`${V1}/rooms/types/${id}`, data),
      setGallery: (id: number, uploadIds: number[]) =>
        api.request<RoomType>('PUT', `${V1}/rooms/types/${id}/gallery`, { body: { upload_ids: uploadIds } }),
      rates: (typeId: number, signal?: AbortSignal) =>
        api.get<RoomRate[]>(`${V1}/rooms/types/${typeId}/rates`, { signal }),
      addRate: (typeId: number, data: RoomRateCreate) =>
        api.post<RoomRate>(`${V1}/rooms/types/${typeId}/rates`, data),
      updateRate: (id: number, data: RoomRateUpdate) => api.patch<RoomRate>(`${V1}/rooms/rates/${id}`, data),
      deleteRate: (id: number) => api.request<void>('DELETE', `${V1}/rooms/rates/${id}`),
      list: (signal?: AbortSignal) => api.get<Room[]>(`${V1}/rooms`, { signal }),
      create: (data: RoomCreate) => api.post<Room>(`${V1}/rooms`, data),
      update: (id: number, data: RoomUpdate) => api.patch<Room>(`${V1}/rooms/${id}`, data),
      board: (signal?: AbortSignal) => api.get<RoomBoardEntry[]>(`${V1}/rooms/status`, { signal }),
      markClean: (id: number) => api.post<RoomBoardEntry>(`${V1}/rooms/${id}/clean`),
      takeOutOfService: (id: number, reason: string) =>
        api.post<RoomBoardEntry>(`${V1}/rooms/${id}/out-of-service`, { reason }),
      returnToService: (id: number) =>
        api.request<RoomBoardEntry>('DELETE', `${V1}/rooms/${id}/out-of-service`),
    },
    bookings: {
      list: (query: BookingFilters, signal?: AbortSignal) =>
        api.get<Page<Booking>>(`${V1}/bookings`, { query: { ...query }, signal }),
      get: (id: number, signal?: AbortSignal) => api.get<Booking>(`${V1}/bookings/${id}`, { signal }),
      /** The booking's page: the stay, its guest, payments, requests, conversations, history. */
      overview: (id: number, signal?: AbortSignal) =>
        api.get<BookingOverview>(`${V1}/bookings/${id}/overview`, { signal }),
      create: (data: BookingCreate, idempotencyKey?: string) =>
        api.post<Booking>(`${V1}/bookings`, data, { idempotencyKey }),
      confirm: (id: number) => api.post<Booking>(`${V1}/bookings/${id}/confirm`),
      cancel: (id: number, reason?: string) =>
        api.post<Booking>(`${V1}/bookings/${id}/cancel`, reason ? { reason } : {}),
      checkIn: (id: number) => api.post<Booking>(`${V1}/bookings/${id}/check-in`),
      /** Refused (409 balance_due) while the folio is open, unless a manager gives a reason. */
      checkOut: (id: number, overrideReason?: string) =>
        api.post<Booking>(
          `${V1}/bookings/${id}/check-out`,
          overrideReason ? { override_reason: overrideReason } : undefined,
        ),
      /** Stay changes: with `preview`, checked and priced but not made. */
      move: (id: number, roomId: number, preview = false) =>
        api.post<StayChange>(`${V1}/bookings/${id}/move`, { room_id: roomId, preview }),
      extend: (id: number, checkOut: string, preview = false) =>
        api.post<StayChange>(`${V1}/bookings/${id}/extend`, { check_out: checkOut, preview }),
      departEarly: (id: number, preview = false) =>
        api.post<StayChange>(`${V1}/bookings/${id}/early-departure`, { preview }),
      noShow: (id: number, preview = false) =>
        api.post<StayChange>(`${V1}/bookings/${id}/no-show`, { preview }),
    },
    guests: {
      search: (query: PageQuery & { q?: string }, signal?: AbortSignal) =>
        api.get<Page<GuestSummary>>(`${V1}/guests`, { query: { ...query }, signal }),
      profile: (id: number, signal?: AbortSignal) => api.get<GuestProfile>(`${V1}/guests/${id}`, { signal }),
      setPreferences: (id: number, data: GuestPreferencesIn) =>
        api.put<GuestPreferences>(`${V1}/guests/${id}/preferences`, data),
      notes: (id: number, query: PageQuery, signal?: AbortSignal) =>
        api.get<Page<GuestNote>>(`${V1}/guests/${id}/notes`, { query: { ...query }, signal }),
      addNote: (id: number, body: string, idempotencyKey?: string) =>
        api.post<GuestNote>(`${V1}/guests/${id}/notes`, { body }, { idempotencyKey }),
    },
    folio: {
      get: (bookingId: number, signal?: AbortSignal) =>
        api.get<Folio>(`${V1}/bookings/${bookingId}/folio`, { signal }),
      postCharge: (bookingId: number, data: ChargeCreate, idempotencyKey?: string) =>
        api.post<FolioCharge>(`${V1}/bookings/${bookingId}/folio/charges`, data, { idempotencyKey }),
      voidCharge: (bookingId: number, chargeId: number, reason: string) =>
        api.post<FolioCharge>(`${V1}/bookings/${bookingId}/folio/charges/${chargeId}/void`, { reason }),
    },
    menu: {
      list: (signal?: AbortSignal) => api.get<MenuItem[]>(`${V1}/menu`, { signal }),
      all: (signal?: AbortSignal) =>
        api.get<MenuItem[]>(`${V1}/menu`, { query: { include_unavailable: true }, signal }),
      categories: (signal?: AbortSignal) => api.get<MenuCategory[]>(`${V1}/menu/categories`, { signal }),
      renameCategory: (name: string, newName: string) =>
        api.post<MenuCategory>(`${V1}/menu/categories/rename`, { name, new_name: newName }),
      create: (data: MenuItemCreate) => api.post<MenuItem>(`${V1}/menu`, data),
      update: (id: number, data: MenuItemUpdate) => api.patch<MenuItem>(`${V1}/menu/${id}`, data),
    },
    orders: {
      list: (query: PageQuery & { status?: OrderStatus }, signal?: AbortSignal) =>
        api.get<Page<Order>>(`${V1}/orders`, { query: { ...query }, signal }),
      create: (data: OrderCreate, idempotencyKey?: string) =>
        api.post<Order>(`${V1}/orders`, data, { idempotencyKey }),
      setStatus: (id: number, status: OrderStatus) =>
        api.post<Order>(`${V1}/orders/${id}/status`, { status }),
    },
    serviceRequests: {
      list: (
        query: PageQuery & { status?: ServiceStatus | ''; kind?: ServiceKind | ''; assignee_id?: number },
        signal?: AbortSignal,
      ) => api.get<Page<ServiceRequest>>(`${V1}/service-requests`, { query: { ...query }, signal }),
      create: (data: ServiceRequestCreate, idempotencyKey?: string) =>
        api.post<ServiceRequest>(`${V1}/service-requests`, data, { idempotencyKey }),
      assign: (id: number, assigneeId: number) =>
        api.post<ServiceRequest>(`${V1}/service-requests/${id}/assign`, { assignee_id: assigneeId }),
      setStatus: (id: number, status: ServiceStatus) =>
        api.post<ServiceRequest>(`${V1}/service-requests/${id}/status`, { status }),
    },
    payments: {
      list: (query: PageQuery & { booking_id?: number }, signal?: AbortSignal) =>
        api.get<Page<Payment>>(`${V1}/payments`, { query: { ...query }, signal }),
      cash: (data: CashPayment, idempotencyKey?: string) =>
        api.post<Payment>(`${V1}/payments/cash`, data, { idempotencyKey }),
      receipt: (id: number) => api.get<Receipt>(`${V1}/payments/${id}/receipt`),
      methods: (currency: string, amount: number, signal?: AbortSignal) =>
        api.get<PaymentOption[]>(`${V1}/payments/methods`, { query: { currency, amount }, signal }),
      start: (data: PaymentCreate, idempotencyKey?: string) =>
        api.post<Payment>(`${V1}/payments`, data, { idempotencyKey }),
      get: (id: number, signal?: AbortSignal) => api.get<Payment>(`${V1}/payments/${id}`, { signal }),
      refresh: (id: number) => api.post<Payment>(`${V1}/payments/${id}/refresh`),
      void: (id: number, reason: string) => api.post<Payment>(`${V1}/payments/${id}/void`, { reason }),
      history: (id: number, signal?: AbortSignal) =>
        api.get<PaymentHistoryEntry[]>(`${V1}/payments/${id}/history`, { signal }),
    },
    audit: {
      list: (
        query: PageQuery & { resource?: string; resource_id?: number; actor_id?: number },
        signal?: AbortSignal,
      ) => api.get<Page<AuditEntry>>(`${V1}/audit`, { query: { ...query }, signal }),
    },
    reviews: {
      list: (query: PageQuery & { rating?: number } = {}, signal?: AbortSignal) =>
        api.get<Page<Review>>(`${V1}/reviews`, { query: { ...query }, signal }),
      create: (data: ReviewCreate, idempotencyKey?: string) =>
        api.post<Review>(`${V1}/reviews`, data, { idempotencyKey }),
      reply: (id: number, reply: string) => api.put<Review>(`${V1}/reviews/${id}/reply`, { reply }),
    },
    emails: {
      queue: (query: EmailQueueFilters, signal?: AbortSignal) =>
        api.get<Page<EmailOut>>(`${V1}/emails/queue`, { query: { ...query }, signal }),
      stats: (days: number, signal?: AbortSignal) =>
        api.get<EmailStats>(`${V1}/emails/stats`, { query: { days }, signal }),
      retry: (id: number) => api.post<EmailOut>(`${V1}/emails/${id}/retry`),
      cancel: (id: number) => api.post<EmailOut>(`${V1}/emails/${id}/cancel`),
      captured: (query: PageQuery, signal?: AbortSignal) =>
        api.get<Page<CapturedEmail>>(`${V1}/emails/captured`, { query: { ...query }, signal }),
      capturedMessage: (id: number, signal?: AbortSignal) =>
        api.get<CapturedEmailDetail>(`${V1}/emails/captured/${id}`, { signal }),
    },
    sms: {
      queue: (query: SmsQueueFilters, signal?: AbortSignal) =>
        api.get<Page<SmsOut>>(`${V1}/sms/queue`, { query: { ...query }, signal }),
      stats: (days: number, signal?: AbortSignal) =>
        api.get<SmsStats>(`${V1}/sms/stats`, { query: { days }, signal }),
    },
    notifications: {
      list: (query: NotificationQuery, signal?: AbortSignal) =>
        api.get<NotificationPage>(`${V1}/notifications`, { query: { ...query }, signal }),
      unreadCount: (signal?: AbortSignal) =>
        api.get<UnreadCount>(`${V1}/notifications/unread-count`, { signal }),
      markRead: (id: number) => api.post<Notification>(`${V1}/notifications/${id}/read`),
      markUnread: (id: number) => api.post<Notification>(`${V1}/notifications/${id}/unread`),
      markAllRead: () => api.post<Changed>(`${V1}/notifications/read-all`),
      remove: (id: number) => api.delete<void>(`${V1}/notifications/${id}`),
      clearAll: () => api.delete<Changed>(`${V1}/notifications`),
      preferences: (signal?: AbortSignal) =>
        api.get<NotificationPreferences>(`${V1}/notifications/preferences`, { signal }),
      savePreferences: (body: NotificationPreferencesIn) =>
        api.put<NotificationPreferences>(`${V1}/notifications/preferences`, body),
    },
    announcements: {
      list: (query: PageQuery, signal?: AbortSignal) =>
        api.get<AnnouncementPage>(`${V1}/announcements`, { query: { ...query }, signal }),
      templates: (signal?: AbortSignal) =>
        api.get<AnnouncementTemplate[]>(`${V1}/announcements/templates`, { signal }),
      preview: (body: AnnouncementPreviewIn, signal?: AbortSignal) =>
        api.post<AnnouncementPreview>(`${V1}/announcements/preview`, body, { signal }),
      create: (body: AnnouncementIn) => api.post<Announcement>(`${V1}/announcements`, body),
      send: (id: number) => api.post<Announcement>(`${V1}/announcements/${id}/send`),
      cancel: (id: number) => api.post<Announcement>(`${V1}/announcements/${id}/cancel`),
      remove: (id: number) => api.delete<void>(`${V1}/announcements/${id}`),
      progress: (id: number, signal?: AbortSignal) =>
        api.get<AnnouncementProgress>(`${V1}/announcements/${id}/progress`, { signal }),
      acknowledgements: (id: number, signal?: AbortSignal) =>
        api.get<Acknowledgements>(`${V1}/announcements/${id}/acknowledgements`, { signal }),
      emergencies: (signal?: AbortSignal) => api.get<Announcement[]>(`${V1}/announcements/emergencies`, { signal }),
      acknowledge: (id: number) => api.post<Announcement>(`${V1}/announcements/${id}/acknowledge`),
    },
    messages: {
      conversations: (query: ConversationFilters, signal?: AbortSignal) =>
        api.get<Page<Conversation>>(`${V1}/messages/conversations`, { query: { ...query }, signal }),
      open: (data: ConversationCreate, idempotencyKey?: string) =>
        api.post<Conversation>(`${V1}/messages/conversations`, data, { idempotencyKey }),
      conversation: (id: number, query: { before?: number; limit?: number }, signal?: AbortSignal) =>
        api.get<ConversationDetail>(`${V1}/messages/conversations/${id}`, { query: { ...query }, signal }),
      send: (data: MessageSend) => api.post<ChatMessage>(`${V1}/messages/send`, data),
      typing: (id: number, internal: boolean) =>
        api.post<void>(`${V1}/messages/conversations/${id}/typing`, { internal }),
      assign: (id: number, assigneeId: number | null) =>
        api.post<Conversation>(`${V1}/messages/conversations/${id}/assign`, { assignee_id: assigneeId }),
      close: (id: number) => api.post<Conversation>(`${V1}/messages/conversations/${id}/close`),
      reopen: (id: number) => api.post<Conversation>(`${V1}/messages/conversations/${id}/reopen`),
      unread: (signal?: AbortSignal) => api.get<MessageUnread>(`${V1}/messages/unread`, { signal }),
      presence: (department: string, signal?: AbortSignal) =>
        api.get<DepartmentPresence>(`${V1}/messages/presence/${department}`, { signal }),
      markRead: (messageId: number) => api.patch<ReadState>(`${V1}/messages/${messageId}/read`),
      search: (q: string, signal?: AbortSignal) =>
        api.get<Page<MessageSearchHit>>(`${V1}/messages/search`, { query: { q, limit: 20 }, signal }),
      cannedReplies: (conversationId: number, signal?: AbortSignal) =>
        api.get<CannedReply[]>(`${V1}/messages/canned-replies`, { query: { conversation_id: conversationId }, signal }),
    },
    push: {
      publicKey: () => api.get<PushPublicKey>(`${V1}/push/public-key`),
      devices: (signal?: AbortSignal) => api.get<PushDevice[]>(`${V1}/push/subscriptions`, { signal }),
      subscribe: (body: PushSubscriptionIn) => api.post<PushDevice>(`${V1}/push/subscriptions`, body),
      unsubscribe: (body: { device_id: string }) =>
        api.post<void>(`${V1}/push/subscriptions/unsubscribe`, body),
    },
  }
}

export type Endpoints = ReturnType<typeof endpoints>
