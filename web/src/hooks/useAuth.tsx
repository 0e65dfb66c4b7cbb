import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, apiClient, ApiError } from '../api'
import type { RegisterRequest, User } from '../api/types'
import { localTokenStore } from '../lib/tokens'

type Status = 'loading' | 'signed-out' | 'signed-in'

interface AuthState {
  status: Status
  user: User | null
  /** Why the user was signed out, when it was not their choice (expired session). */
  notice: string | null
  login: (email: string, password: string) => Promise<User>
  register: (data: RegisterRequest) => Promise<User>
  logout: () => void
}

const AuthContext = createContext<AuthState | null>(null)

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null)
  const [status, setStatus] = useState<Status>(localTokenStore.get() ? 'loading' : 'signed-out')
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

  useEffect(() => {
    if (!localTokenStore.get()) return
    const controller = new AbortController()
    api.auth
      .me(controller.signal)
      .then((me) => {
        setUser(me)
        setStatus('signed-in')
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        // Forget the tokens only when the server refused them, not when it was unreachable.
        if (error instanceof ApiError && error.status === 401) localTokenStore.set(null)
        setStatus('signed-out')
      })
    return () => controller.abort()
  }, [])

  const signIn = useCallback(async (tokens: { access_token: string; refresh_token: string }) => {
    localTokenStore.set({ access_token: tokens.access_token, refresh_token: tokens.refresh_token })
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
  const logout = useCallback(() => {
    localTokenStore.set(null)
    setUser(null)
    setNotice(null)
    setStatus('signed-out')
  }, [])

  const value = useMemo(
    () => ({ status, user, notice, login, register, logout }),
    [status, user, notice, login, register, logout],
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
