import { Outlet, useNavigate } from 'react-router'
import { useAuth } from '../hooks/useAuth'
import { useLiveUpdates } from '../hooks/useLiveUpdates'
import { ConnectionIndicator } from './ConnectionIndicator'
import { Header } from './Header'

export function Layout() {
  const { user, logout } = useAuth()
  const navigate = useNavigate()
  const live = useLiveUpdates(user)
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
      <main className="app-main">
        <Outlet />
      </main>
    </div>
  )
}
