import type { TokenStore, Tokens } from '../api/client'

/** A store in memory: the access token is gone on reload and never reachable from storage
 * that other scripts on the page could read later; the refresh cookie brings it back. */
export function memoryTokenStore(initial: Tokens | null = null): TokenStore {
  let tokens = initial
  return {
    get: () => tokens,
    set: (next) => {
      tokens = next
    },
  }
}

/** The app's one store. */
export const sessionTokens: TokenStore = memoryTokenStore()

/** Earlier versions kept both tokens in localStorage; drop what they left behind. */
export function forgetStoredTokens(): void {
  try {
    window.localStorage.removeItem('premier.tokens')
  } catch {
    // Storage may be unavailable (private mode, tests): then nothing was left there either.
  }
}
