import { describe, expect, it } from 'vitest'
import { fromMajorUnits, toMajorUnits } from './money'

describe('amounts typed by people', () => {
  it('turn into integer minor units without float drift', () => {
    expect(fromMajorUnits('2,500.10', 'KES')).toBe(250010)
    expect(fromMajorUnits('0.29', 'USD')).toBe(29)
    expect(fromMajorUnits('1500', 'UGX')).toBe(1500)
    expect(toMajorUnits(250010, 'KES')).toBe('2500.10')
  })

  it('refuse what is not a positive amount', () => {
    for (const text of ['', '0', '-5', '1.234', 'abc', '12.5.1']) {
      expect(fromMajorUnits(text, 'KES')).toBeNull()
    }
    expect(fromMajorUnits('10.5', 'UGX')).toBeNull()
  })
})
