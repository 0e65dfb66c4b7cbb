/**
 * Types the pages use, taken from the generated `schema.d.ts` (run `make api-types` after
 * the API changes) so the two never drift.
 */
import type { components } from './schema'

type Schemas = components['schemas']

/**
 * The values of an enum the API declares, in the order of their labels. The labels are a
 * `Record` over the schema's type, so a value the server adds (or drops) fails the type
 * check until it has words here.
 */
export function valuesOf<T extends string>(labels: Record<T, string>): readonly T[] {
  return Object.keys(labels) as T[]
}

/** A list in an order of the page's choosing that the type check holds to naming every value
 * of `T`: `everyValue<Inbox>()(['front_desk', …])`. */
export function everyValue<T extends string>() {
  return <const L extends readonly T[]>(
    list: L & ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> }),
  ): L => list
}

export type User = Schemas['UserOut']
export type Receipt = Schemas['ReceiptOut']
export type ProfileUpdate = Schemas['ProfileUpdate']
export type GuestCreate = Schemas['GuestCreate']
export type AuditEntry = Schemas['AuditEntryOut']
export type Role = Schemas['Role']
export type Department = Schemas['Department']
export type TokenPair = Schemas['TokenPair']
export type RegisterRequest = Schemas['RegisterRequest']
export type StaffCreate = Schemas['StaffCreate']
export type UserUpdate = Schemas['UserUpdate']
export const DEPARTMENT_LABELS: Record<Department, string> = {
  front_desk: 'front desk',
  kitchen: 'kitchen',
  housekeeping: 'housekeeping',
  maintenance: 'maintenance',
  concierge: 'concierge',
}
export const DEPARTMENTS = valuesOf(DEPARTMENT_LABELS)

export interface Page<T> {
  items: T[]
  total: number
  limit: number
  offset: number
}

export type RoomType = Schemas['RoomTypeOut']
export type RoomTypeCreate = Schemas['RoomTypeCreate']
export type RoomTypeUpdate = Schemas['RoomTypeUpdate']
export type Room = Schemas['RoomOut']
export type RoomCreate = Schemas['RoomCreate']
export type RoomUpdate = Schemas['RoomUpdate']
export type RoomStatus = Schemas['RoomStatus']
export type RoomRate = Schemas['RoomRateOut']
export type RoomRateCreate = Schemas['RoomRateCreate']
export type RoomRateUpdate = Schemas['RoomRateUpdate']
export type ImageRef = Schemas['ImageRef']
export type Upload = Schemas['UploadOut']
export type UploadPurpose = Schemas['Purpose']
export type NightlyRate = Schemas['NightlyRate']
export type AvailabilityOption = Schemas['AvailabilityOption']
export type Availability = Schemas['Availability']

export type BookingStatus = Schemas['BookingStatus']
export const BOOKING_STATUS_LABELS: Record<BookingStatus, string> = {
  pending: 'pending',
  confirmed: 'confirmed',
  checked_in: 'checked in',
  checked_out: 'checked out',
  cancelled: 'cancelled',
  no_show: 'no show',
}
export const BOOKING_STATUSES = valuesOf(BOOKING_STATUS_LABELS)
export type Booking = Schemas['BookingOut']
export type BookingCreate = Schemas['BookingCreate']
export type StayChange = Schemas['StayChangeOut']
export type BookingOverview = Schemas['BookingOverview']

export type GuestContact = Schemas['GuestContact']
export type GuestSummary = Schemas['GuestSummary']
export type GuestProfile = Schemas['GuestProfile']
export type GuestPreferencesIn = Schemas['GuestPreferencesIn']
export type GuestPreferences = Schemas['GuestPreferencesOut']
export type GuestNote = Schemas['GuestNoteOut']
export type Pillow = Schemas['Pillow']
export type Floor = Schemas['Floor']
export type Diet = Schemas['Diet']
export const PILLOWS = everyValue<Pillow>()(['soft', 'firm', 'feather', 'hypoallergenic'])
export const FLOORS = everyValue<Floor>()(['high', 'low'])
export const DIETS = everyValue<Diet>()([
  'vegetarian',
  'vegan',
  'halal',
  'kosher',
  'gluten_free',
  'lactose_free',
])

export type BoardStatus = Schemas['BoardStatus']
export type RoomBoardEntry = Schemas['RoomBoardEntry']

export type MenuItem = Schemas['MenuItemOut']
export type MenuItemCreate = Schemas['MenuItemCreate']
export type MenuItemUpdate = Schemas['MenuItemUpdate']
export type MenuCategory = Schemas['MenuCategory']

export type OrderStatus = Schemas['OrderStatus']
export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  placed: 'placed',
  preparing: 'preparing',
  ready: 'ready',
  delivered: 'delivered',
  cancelled: 'cancelled',
}
export const ORDER_STATUSES = valuesOf(ORDER_STATUS_LABELS)
export type OrderLine = Schemas['OrderItemOut']
export type Order = Schemas['OrderOut']
export type OrderCreate = Schemas['OrderCreate']

export type ServiceKind = Schemas['RequestKind']
export const SERVICE_KIND_LABELS: Record<ServiceKind, string> = {
  housekeeping: 'housekeeping',
  maintenance: 'maintenance',
  concierge: 'concierge',
}
export const SERVICE_KINDS = valuesOf(SERVICE_KIND_LABELS)
export type ServicePriority = Schemas['Priority']
export const SERVICE_PRIORITY_LABELS: Record<ServicePriority, string> = { low: 'low', normal: 'normal', high: 'high' }
export const SERVICE_PRIORITIES = valuesOf(SERVICE_PRIORITY_LABELS)
export type ServiceStatus = Schemas['RequestStatus']
export const SERVICE_STATUS_LABELS: Record<ServiceStatus, string> = {
  open: 'open',
  assigned: 'assigned',
  in_progress: 'in progress',
  done: 'done',
  cancelled: 'cancelled',
}
export const SERVICE_STATUSES = valuesOf(SERVICE_STATUS_LABELS)
export type ServiceRequest = Schemas['ServiceRequestOut']
export type ServiceRequestCreate = Schemas['ServiceRequestCreate']

export type Payment = Schemas['PaymentOut']
export type PaymentOption = Schemas['PaymentOption']
export type PaymentCreate = Schemas['PaymentCreate']
export type PaymentStatus = Schemas['PaymentStatus']
export type PaymentMethod = Schemas['PaymentMethod']
export type CashPayment = Schemas['CashPayment']
export type Folio = Schemas['FolioOut']
export type FolioLine = Schemas['FolioLine']
export type FolioCharge = Schemas['ChargeOut']
export type ChargeCreate = Schemas['ChargeCreate']
export type ChargeCategory = Schemas['ChargeCategory']
export const CHARGE_CATEGORIES = everyValue<ChargeCategory>()([
  'minibar',
  'laundry',
  'damage',
  'late_checkout',
  'telephone',
  'parking',
  'spa',
  'restaurant',
  'other',
])
export type PaymentHistoryEntry = Schemas['PaymentHistoryEntry']

export type Review = Schemas['ReviewOut']
export type ReviewCreate = Schemas['ReviewCreate']

export type EmailOut = Schemas['EmailOut']
export type EmailStats = Schemas['EmailStats']
export type CapturedEmail = Schemas['CapturedEmailOut']
export type CapturedEmailDetail = Schemas['CapturedEmailDetail']
/** The email queue's statuses, as its `status` filter declares them (EmailOut.status itself is
 * a plain string in the API's document). */
export type EmailStatus = Schemas['QueueStatus']
export const EMAIL_STATUS_LABELS: Record<EmailStatus, string> = {
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  failed: 'failed',
  cancelled: 'cancelled',
  suppressed: 'suppressed',
}
export const EMAIL_STATUSES = valuesOf(EMAIL_STATUS_LABELS)

export type SmsOut = Schemas['SmsOut']
export type SmsStats = Schemas['SmsStats']

export type Notification = Schemas['NotificationOut']
export type NotificationPage = Schemas['NotificationPage']
export type UnreadCount = Schemas['UnreadCount']
export type Changed = Schemas['Changed']
export type PushPublicKey = Schemas['PublicKey']
export type PushDevice = Schemas['SubscriptionOut']
export type PushSubscriptionIn = Schemas['SubscriptionIn']
export type NotificationPreferences = Schemas['PreferencesOut']
export type NotificationPreferencesIn = Schemas['PreferencesIn']
export type Announcement = Schemas['AnnouncementOut']
export type AnnouncementIn = Schemas['AnnouncementIn']
export type AnnouncementPage = Schemas['AnnouncementPage']
export type AnnouncementPreviewIn = Schemas['AnnouncementPreviewIn']
export type AnnouncementPreview = Schemas['AnnouncementPreviewOut']
export type AnnouncementTemplate = Schemas['AnnouncementTemplateOut']
export type AnnouncementProgress = Schemas['Progress']
export type Acknowledgements = Schemas['Acknowledgements']
export type AnnouncementTarget = Schemas['Target']
export type AnnouncementPriority = Schemas['AnnouncementPriority']

export type Conversation = Schemas['ConversationOut']
export type MessagePreview = Schemas['MessagePreview']
export type ConversationDetail = Schemas['ConversationDetail']
export type ConversationCreate = Schemas['ConversationCreate']
export type ConversationStatus = Schemas['ConversationStatus']
export type Inbox = Schemas['Inbox']
export type ChatMessage = Schemas['MessageOut']
export type MessageSend = Schemas['MessageSend']
export type MessageUnread = Schemas['UnreadCounts']
export type DepartmentPresence = Schemas['DepartmentPresence']
export type ReadState = Schemas['ReadState']
export type MessageSearchHit = Schemas['SearchHit']
export type CannedReply = Schemas['CannedReplyOut']
export type Attachment = Schemas['MessageAttachmentOut']
/** The inboxes a guest can write to, in the order they are offered. */
export const INBOXES = everyValue<Inbox>()(['front_desk', 'concierge', 'housekeeping', 'kitchen'])
