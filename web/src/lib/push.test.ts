import { describe, expect, it } from 'vitest'
import { keyBytes } from './push'

describe('keyBytes', () => {
  it('turns a base64url VAPID key into the 65 bytes of its point', () => {
    const key = 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U'
    const bytes = keyBytes(key)
    expect(bytes.length).toBe(65)
    expect(bytes[0]).toBe(4)
  })

  it('accepts the padded form too', () => {
    expect(Array.from(keyBytes('AQID'))).toEqual([1, 2, 3])
    expect(Array.from(keyBytes('AQI='))).toEqual([1, 2])
  })
})
