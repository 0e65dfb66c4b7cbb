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

export interface RoomType {
  id: number
  code: string
  name: string
  description: string
  capacity: number
  base_rate: number
  currency: string
  image_urls: string[]
  amenities: string[]
}

export interface NightlyRate {
  date: string
  amount: number
}

export interface AvailabilityOption {
  room_type: RoomType
  available_rooms: number
  nightly_rates: NightlyRate[]
  total_amount: number
  currency: string
}

export interface Availability {
  check_in: string
  check_out: string
  nights: number
  guests: number
  options: AvailabilityOption[]
}

export const BOOKING_STATUSES = ['pending', 'confirmed', 'checked_in', 'checked_out', 'cancelled'] as const
export type BookingStatus = (typeof BOOKING_STATUSES)[number]

export interface Booking {
  id: number
  reference: string
  guest_id: number
  guest_name: string
  room_id: number | null
  room_number: string | null
  room_type_id: number
  room_type_name: string
  check_in: string
  check_out: string
  nights: number
  guests: number
  status: BookingStatus
  total_amount: number
  currency: string
  special_requests: string | null
  created_at: string
  updated_at: string
}

export interface BookingCreate {
  room_type_id: number
  check_in: string
  check_out: string
  guests: number
  special_requests?: string
  guest_id?: number
}

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
