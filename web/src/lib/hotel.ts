/** The hotel's profile from `GET /api/v1/hotel`, loaded once before the app renders.
 *
 * Dates follow the hotel's time zone, not the browser's: a front desk in Nairobi must see
 * tomorrow's arrivals as "today" from midnight Nairobi time, wherever the browser thinks it is.
 */
export interface HotelInfo {
  name: string
  timezone: string
  currency: string
  demo: boolean
}

const fallback: HotelInfo = {
  name: 'Premier Hotel',
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  currency: 'KES',
  demo: false,
}

let current: HotelInfo = fallback

export function hotel(): HotelInfo {
  return current
}

export function setHotel(info: Partial<HotelInfo>): void {
  current = { ...current, ...info }
}

/** Never blocks the app for long: on any failure the browser's zone stands in. */
export async function loadHotel(fetcher: typeof fetch = fetch): Promise<void> {
  try {
    const response = await fetcher('/api/v1/hotel')
    if (!response.ok) return
    const body = (await response.json()) as Partial<HotelInfo>
    setHotel({
      name: body.name ?? fallback.name,
      timezone: body.timezone ?? fallback.timezone,
      currency: body.currency ?? fallback.currency,
      demo: body.demo ?? false,
    })
  } catch {
    // Offline or API down: keep the fallback; pages show their own errors.
  }
}
