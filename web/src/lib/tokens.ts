import type { TokenStore, Tokens } from '../api/client'

const KEY = 'premier.tokens'

/** Tokens survive a reload; signing out or a refused refresh clears them. */
export const localTokenStore: TokenStore = {
  get(): Tokens | null {
    try {
      const raw = window.localStorage.getItem(KEY)
      return raw ? (JSON.parse(raw) as Tokens) : null
    } catch {
      return null
    }
  },
  set(tokens: Tokens | null): void {
    if (tokens) window.localStorage.setItem(KEY, JSON.stringify(tokens))
    else window.localStorage.removeItem(KEY)
  },
}

export function memoryTokenStore(initial: Tokens | null = null): TokenStore {
  let tokens = initial
  return {
    get: () => tokens,
    set: (next) => {
      tokens = next
    },
  }
}
