import { describe, expect, it } from 'vitest'
import { splitCash } from './cash'

describe('splitCash', () => {
  it('gives change for a note larger than what is due', () => {
    expect(splitCash(2_500_000, 2_000_000)).toEqual({ paid: 2_000_000, change: 500_000 })
  })
  it('gives no change for exact money or less than is due', () => {
    expect(splitCash(2_000_000, 2_000_000)).toEqual({ paid: 2_000_000, change: 0 })
    expect(splitCash(500_000, 2_000_000)).toEqual({ paid: 500_000, change: 0 })
  })
})
