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
