import { describe, expect, it } from 'vitest'
import { cappedQuantity } from './quantity'

describe('cappedQuantity', () => {
  it('stops at the limit the API serves with the dish', () => {
    expect(cappedQuantity({ max_quantity: 50 }, 51)).toBe(50)
    expect(cappedQuantity({ max_quantity: 50 }, 12)).toBe(12)
  })
})
