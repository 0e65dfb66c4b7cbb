/**
 * Types the pages use. Where the backend already publishes a schema they are taken from the
 * generated `schema.d.ts` (run `make api-types` after the API changes) so the two never drift.
 */
import type { components } from './schema'

type Schemas = components['schemas']

export type User = Schemas['UserOut']
export type Role = Schemas['Role']
export type Department = Schemas['Department']
export type TokenPair = Schemas['TokenPair']
export type RegisterRequest = Schemas['RegisterRequest']

export interface Page<T> {
  items: T[]
  total: number
  limit: number
  offset: number
}

export type RoomType = Schemas['RoomTypeOut']
export type NightlyRate = Schemas['NightlyRate']
export type AvailabilityOption = Schemas['AvailabilityOption']
export type Availability = Schemas['Availability']

export type BookingStatus = Schemas['BookingStatus']
export const BOOKING_STATUSES = [
  'pending',
  'confirmed',
  'checked_in',
  'checked_out',
  'cancelled',
] as const satisfies readonly BookingStatus[]
export type Booking = Schemas['BookingOut']
export type BookingCreate = Schemas['BookingCreate']

// Not on the API yet: written from the agreed contract; switch to the generated schemas
// (as above) when the endpoints land.
export interface MenuItem {
  id: number
  name: string
  description: string
  category: string
  price: number
  currency: string
  is_available: boolean
  image_url: string | null
}

export const ORDER_STATUSES = ['placed', 'preparing', 'ready', 'delivered', 'cancelled'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

export interface OrderLine {
  menu_item_id: number
  name: string
  unit_price: number
  quantity: number
  line_total: number
}

export interface Order {
  id: number
  guest_id: number
  guest_name: string
  booking_id: number | null
  room_number: string | null
  status: OrderStatus
  items: OrderLine[]
  total_amount: number
  currency: string
  notes: string | null
  created_at: string
  updated_at: string
}

export interface OrderCreate {
  items: { menu_item_id: number; quantity: number }[]
  booking_id?: number
  room_number?: string
  notes?: string
}

export const SERVICE_KINDS = ['housekeeping', 'maintenance', 'concierge'] as const
export type ServiceKind = (typeof SERVICE_KINDS)[number]
export const SERVICE_PRIORITIES = ['low', 'normal', 'high'] as const
export type ServicePriority = (typeof SERVICE_PRIORITIES)[number]
export const SERVICE_STATUSES = ['open', 'assigned', 'in_progress', 'done', 'cancelled'] as const
export type ServiceStatus = (typeof SERVICE_STATUSES)[number]

export interface ServiceRequest {
  id: number
  kind: ServiceKind
  description: string
  room_number: string | null
  booking_id: number | null
  priority: ServicePriority
  status: ServiceStatus
  guest_id?: number | null
  guest_name?: string | null
  assignee_id: number | null
  assignee_name?: string | null
  created_at: string
  updated_at: string
}

export interface ServiceRequestCreate {
  kind: ServiceKind
  description: string
  priority: ServicePriority
  room_number?: string
  booking_id?: number
}

export interface Review {
  id: number
  booking_id: number
  rating: number
  comment: string
  guest_name?: string
  created_at: string
}

export interface ReviewCreate {
  booking_id: number
  rating: number
  comment: string
}
