import { hotel } from './hotel'

/** Dates as the API speaks them: `YYYY-MM-DD`, in the browser's calendar. */
export function isoDate(date: Date): string {
  const y = date.getFullYear()
  const m = String(date.getMonth() + 1).padStart(2, '0')
  const d = String(date.getDate()).padStart(2, '0')
  return `${y}-${m}-${d}`
}

/** Today in the hotel's time zone, which is what the API compares stays against. */
export function today(): string {
  // The en-CA locale writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: hotel().timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date())
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number)
  return isoDate(new Date(y, m - 1, d + days))
}

/** "Wed, Nov 25", with the year when it is not this year's ("Wed, Feb 3, 2027"): a stay
 * booked for next year must not read as this year's. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y, m - 1, d).toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(String(y) === today().slice(0, 4) ? {} : { year: 'numeric' }),
  })
}

/** A day in a narrow place (a chart's axis): "25 Nov", in the same locale as formatDay. */
export function formatShortDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { day: 'numeric', month: 'short' })
}

/** A moment (an order placed, a message sent) on the hotel's clock, which is the one the
 * staff and the guests in the building go by, whatever zone the browser is set to. */
export function formatDateTime(value: string): string {
  const year = new Intl.DateTimeFormat('en-CA', { timeZone: hotel().timezone, year: 'numeric' })
  const otherYear = year.format(new Date(value)) !== today().slice(0, 4)
  return new Date(value).toLocaleString(undefined, {
    timeZone: hotel().timezone,
    day: 'numeric',
    month: 'short',
    ...(otherYear ? { year: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
  })
}

export function formatTime(value: string): string {
  return new Date(value).toLocaleTimeString(undefined, {
    timeZone: hotel().timezone,
    hour: '2-digit',
    minute: '2-digit',
  })
}
