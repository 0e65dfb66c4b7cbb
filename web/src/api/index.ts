/** The app's one API client: the access token in memory, the refresh token in a cookie. */
import { ApiClient, browserRefreshLock } from './client'
import { endpoints } from './endpoints'
import { sessionTokens } from '../lib/tokens'

export const apiClient = new ApiClient({ tokens: sessionTokens, withRefreshLock: browserRefreshLock })
export const api = endpoints(apiClient)
export { ApiError, errorMessage } from './client'
export type { Tokens } from './client'
