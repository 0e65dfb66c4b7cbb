/** Amounts travel as integer minor units with an ISO currency code (as in premier.kit.money). */
const MINOR_UNITS: Record<string, number> = {
  KES: 2, UGX: 0, TZS: 2, RWF: 0, NGN: 2, GHS: 2, ZAR: 2,
  USD: 2, EUR: 2, GBP: 2, AED: 2, INR: 2, JPY: 0, CHF: 2,
}

export function formatMoney(amount: number, currency: string): string {
  const digits = MINOR_UNITS[currency] ?? 2
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
  const digits = MINOR_UNITS[currency] ?? 2
  return (amount / 10 ** digits).toFixed(digits)
}

/** What a person typed → minor units; null when it is not a positive amount. */
export function fromMajorUnits(text: string, currency: string): number | null {
  const digits = MINOR_UNITS[currency] ?? 2
  const cleaned = text.replace(/[\s,]/g, '')
  const pattern = digits === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`)
  if (!pattern.test(cleaned)) return null
  const [whole, fraction = ''] = cleaned.split('.')
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0')
  return minor > 0 ? minor : null
}
