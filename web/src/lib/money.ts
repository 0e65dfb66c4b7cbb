/** Amounts travel as integer minor units with an ISO currency code (as in premier.kit.money). */
import type { components } from '../api/schema'

/** The currencies the API takes, as its document lists them. */
export type Currency = components['schemas']['RoomTypeCreate']['currency']

// Every currency of the document, and only those: a new one on the server fails the type check.
const MINOR_UNITS: Record<Currency, number> = {
  KES: 2, UGX: 0, TZS: 2, RWF: 0, NGN: 2, GHS: 2, ZAR: 2,
  USD: 2, EUR: 2, GBP: 2, AED: 2, INR: 2, JPY: 0, CHF: 2,
}

/** A currency code the server sent back (a booking's, a dish's) as the type requests take. */
export function currencyOf(code: string): Currency {
  if (!(code in MINOR_UNITS)) throw new Error(`unknown currency ${code}`)
  return code as Currency
}

export function formatMoney(amount: number, currency: string): string {
  const digits = MINOR_UNITS[currency as Currency] ?? 2
  const value = amount / 10 ** digits
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value)
  } catch {
    return `${currency} ${value.toFixed(digits)}`
  }
}

/** Minor units → the plain number a person types, e.g. 250000 KES → "2500.00". */
export function toMajorUnits(amount: number, currency: string): string {
  const digits = MINOR_UNITS[currency as Currency] ?? 2
  return (amount / 10 ** digits).toFixed(digits)
}

/** What a person typed → minor units; null when it is not a positive amount. */
export function fromMajorUnits(text: string, currency: string): number | null {
  const digits = MINOR_UNITS[currency as Currency] ?? 2
  const cleaned = text.replace(/[\s,]/g, '')
  const pattern = digits === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`)
  if (!pattern.test(cleaned)) return null
  const [whole, fraction = ''] = cleaned.split('.')
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0')
  return minor > 0 ? minor : null
}
