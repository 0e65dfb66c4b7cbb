/** The app's one API client, keeping its tokens in localStorage. */
import { ApiClient } from './client'
import { endpoints } from './endpoints'
import { localTokenStore } from '../lib/tokens'

export const apiClient = new ApiClient({ tokens: localTokenStore })
export const api = endpoints(apiClient)
export { ApiError, errorMessage } from './client'
export type { Tokens } from './client'
