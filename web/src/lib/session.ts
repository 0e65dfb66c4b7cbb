import { apiClient } from '../api'
import { forgetStoredTokens } from './tokens'

let restoring: Promise<boolean> | null = null

/** Brings back this page load's session from the refresh cookie, once. main.tsx starts it
 *  beside the hotel's profile so the two round trips overlap (a phone on a slow network sees
 *  its page sooner); the sign-in state then waits for the same answer rather than asking
 *  again, which would spend the cookie twice. */
export function restoreSessionOnce(): Promise<boolean> {
  if (!restoring) {
    forgetStoredTokens()
    restoring = apiClient.restoreSession()
  }
  return restoring
}
