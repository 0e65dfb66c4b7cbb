import { Suspense, useEffect } from 'react'
import { Outlet, useNavigate } from 'react-router'
import { api } from '../api'
import { useAuth } from '../hooks/useAuth'
import { useLiveUpdates } from '../hooks/useLiveUpdates'
import { ConnectionIndicator } from './ConnectionIndicator'
import { EmergencyBanner } from './EmergencyBanner'
import { resumePush } from '../lib/push'
import { Header } from './Header'
import { Loading } from './ui'

export function Layout() {
  const { user, logout } = useAuth()
  const navigate = useNavigate()
  const live = useLiveUpdates(user)
  const userId = user?.id
  useEffect(() => {
    // A device that has push on re-sends its subscription (browsers renew them); never asks.
    if (userId !== undefined) void resumePush(api)
  }, [userId])
  return (
    <div className="app">
      {/* Live updates: pass the WebSocket connection indicator as `status`, and have the
          socket call `invalidate(topic)` (lib/invalidation) so the data hooks reload. */}
      <Header
        user={user}
        status={user ? <ConnectionIndicator state={live.state} /> : undefined}
        onSignOut={() => {
          void logout()
          navigate('/login')
        }}
      />
      {user && <EmergencyBanner />}
      <main className="app-main">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  )
}
