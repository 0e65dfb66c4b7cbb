import { afterEach, describe, expect, it, vi } from 'vitest'
import { formatDateTime, formatDay, formatShortDay, formatTime, today } from './dates'
import { loadHotel, setHotel } from './hotel'

describe('today', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it("is the hotel's date, not the browser's", () => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-11-25T22:30:00Z'))
    setHotel({ timezone: 'Africa/Nairobi' })
    expect(today()).toBe('2026-11-26')
    setHotel({ timezone: 'America/New_York' })
    expect(today()).toBe('2026-11-25')
  })

  it('takes the zone from the API', async () => {
    const fetcher = vi.fn(async () =>
      new Response(JSON.stringify({ name: 'Lakeside', timezone: 'Asia/Tokyo', demo: true })),
    )
    await loadHotel(fetcher as unknown as typeof fetch)
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-11-25T16:00:00Z'))
    expect(today()).toBe('2026-11-26')
  })
})

describe('times', () => {
  it("are on the hotel's clock, not the browser's", () => {
    setHotel({ timezone: 'Africa/Nairobi' })
    expect(formatTime('2026-11-26T10:05:00Z')).toMatch(/01:05|13:05/)
    expect(formatDateTime('2026-11-26T22:30:00Z')).toMatch(/27/)
    setHotel({ timezone: 'America/New_York' })
    expect(formatTime('2026-11-26T10:05:00Z')).toMatch(/05:05/)
    expect(formatDateTime('2026-11-26T02:30:00Z')).toMatch(/25/)
  })
})

describe('years', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('are written only when they are not this year', () => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-12-05T09:00:00Z'))
    setHotel({ timezone: 'Africa/Nairobi' })
    expect(formatDay('2026-12-20')).not.toContain('2026')
    expect(formatDay('2027-02-03')).toContain('2027')
    expect(formatDay('2025-06-27')).toContain('2025')
    expect(formatDateTime('2026-11-26T10:05:00Z')).not.toContain('2026')
    expect(formatDateTime('2025-11-26T10:05:00Z')).toContain('2025')
  })
})

describe('days', () => {
  it('writes a chart day as a short form of the day the other pages show', () => {
    expect(formatShortDay('2026-11-25')).toBe(
      new Date(2026, 10, 25).toLocaleDateString(undefined, { day: 'numeric', month: 'short' }),
    )
    expect(formatDay('2026-11-25')).toContain(formatShortDay('2026-11-25').split(' ')[0])
  })
})
