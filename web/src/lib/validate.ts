/** The API's rules for what managers type, checked before sending, in the same words the
 * forms show when the API itself refuses a value (lib/formErrors). */
import { fromMajorUnits } from './money'

export const SENTENCES = {
  code: 'Use 1 to 32 letters, digits, dashes or underscores, without spaces.',
  name: 'Give it a name of up to 120 characters.',
  description: 'Keep the description under 4,000 characters.',
  capacity: 'A room sleeps 1 to 20 guests.',
  base_rate: 'Enter the nightly rate as an amount, for example 8500.00.',
  price: 'Enter the price as an amount, for example 450.00.',
  nightly_rate: 'Enter the nightly rate as an amount, for example 12000.00.',
  currency: 'Choose a currency from the list.',
  amenities: 'List up to 50 amenities, each under 60 characters, separated by commas.',
  number: 'Use up to 16 letters, digits or dashes, for example 204 or B-12.',
  floor: 'Floors run from -5 to 200.',
  room_type_id: 'Choose the room type.',
  start_date: 'Choose the first night the rate applies to.',
  end_date: 'The rate must end after it starts, and cover at most a year.',
  label: 'Keep the label under 80 characters.',
  category: 'Give the category a name of up to 60 characters.',
  email: 'Enter an email address such as name@example.com.',
  full_name: 'Enter the person’s name (up to 200 characters).',
  phone: 'Enter a phone number of 6 to 20 digits, for example +254 712 345678.',
  role: 'Choose a role.',
  department: 'Staff accounts need a department.',
  password: 'A password needs at least 8 characters.',
  upload_ids: 'One of these photos could not be used. Remove it and upload it again.',
  photo_upload_id: 'This photo could not be used. Upload it again.',
} as const

export type Errors = Record<string, string>

export const CODE = /^[A-Za-z0-9_-]{1,32}$/
export const ROOM_NUMBER = /^[A-Za-z0-9-]{1,16}$/
export const PHONE = /^\+?[0-9 ()-]{6,20}$/
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function amount(text: string, currency: string): number | null {
  return fromMajorUnits(text, currency)
}

export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

export function intIn(text: string, min: number, max: number): number | null {
  if (!/^-?\d+$/.test(text.trim())) return null
  const value = Number(text)
  return value >= min && value <= max ? value : null
}

export function daysBetween(start: string, end: string): number {
  return Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000)
}
