import { describe, expect, it } from 'vitest'
import { LATE_AFTER_MINUTES, formatWait, isLate, minutesWaited } from './waiting'

describe('kitchen waits', () => {
  const placed = '2026-12-05T09:00:00Z'

  it('counts whole minutes since the order was placed', () => {
    expect(minutesWaited(placed, new Date('2026-12-05T09:12:40Z'))).toBe(12)
    expect(minutesWaited(placed, new Date('2026-12-05T08:59:00Z'))).toBe(0)
  })

  it('is late only past the limit', () => {
    expect(isLate(LATE_AFTER_MINUTES)).toBe(false)
    expect(isLate(LATE_AFTER_MINUTES + 1)).toBe(true)
  })

  it('writes waits short', () => {
    expect(formatWait(12)).toBe('12 min')
    expect(formatWait(60)).toBe('1 h')
    expect(formatWait(65)).toBe('1 h 5 min')
  })
})
