import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, apiClient, ApiError } from '../api'
import type { RegisterRequest, User } from '../api/types'
import { restoreSessionOnce } from '../lib/session'
import { sessionTokens } from '../lib/tokens'

type Status = 'loading' | 'signed-out' | 'signed-in'

interface AuthState {
  status: Status
  user: User | null
  /** Why the user was signed out, when it was not their choice (expired session). */
  notice: string | null
  login: (email: string, password: string) => Promise<User>
  register: (data: RegisterRequest) => Promise<User>
  logout: () => Promise<void>
  /** The account as changed on the profile page, shown at once in the header. */
  updated: (user: User) => void
}

const AuthContext = createContext<AuthState | null>(null)

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null)
  const [status, setStatus] = useState<Status>('loading')
  const [notice, setNotice] = useState<string | null>(null)

  useEffect(() => {
    apiClient.onSessionExpired = () => {
      setUser(null)
      setStatus('signed-out')
      setNotice('Your session has ended. Please sign in again.')
    }
    return () => {
      apiClient.onSessionExpired = undefined
    }
  }, [])

  // On page load the access token is gone (it lives in memory); the refresh cookie, if the
  // browser holds one, brings the session back.
  useEffect(() => {
    const controller = new AbortController()
    restoreSessionOnce()
      .then((restored) => (restored ? api.auth.me(controller.signal) : null))
      .then((me) => {
        if (controller.signal.aborted) return
        setUser(me)
        setStatus(me ? 'signed-in' : 'signed-out')
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        if (error instanceof ApiError && error.status === 401) sessionTokens.set(null)
        setStatus('signed-out')
      })
    return () => controller.abort()
  }, [])

  const signIn = useCallback(async (tokens: { access_token: string }) => {
    sessionTokens.set({ access_token: tokens.access_token })
    const me = await api.auth.me()
    setUser(me)
    setNotice(null)
    setStatus('signed-in')
    return me
  }, [])

  const login = useCallback(
    async (email: string, password: string) => signIn(await api.auth.login(email, password)),
    [signIn],
  )
  const register = useCallback(
    async (data: RegisterRequest) => signIn(await api.auth.register(data)),
    [signIn],
  )
  const logout = useCallback(async () => {
    // Signed out on this page at once, whatever the server says; it ends the session (and
    // clears the refresh cookie) when it can be reached.
    setUser(null)
    setNotice(null)
    setStatus('signed-out')
    await apiClient.logout().catch(() => undefined)
  }, [])

  const updated = useCallback((changed: User) => setUser(changed), [])

  const value = useMemo(
    () => ({ status, user, notice, login, register, logout, updated }),
    [status, user, notice, login, register, logout, updated],
  )
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext)
  if (!state) throw new Error('useAuth outside <AuthProvider>')
  return state
}

/** For pages behind sign-in: the user is always there. */
export function useUser(): User {
  const { user } = useAuth()
  if (!user) throw new Error('useUser on a page that does not require sign-in')
  return user
}
