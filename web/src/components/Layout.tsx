import { Outlet, useNavigate } from 'react-router'
import { useAuth } from '../hooks/useAuth'
import { Header } from './Header'

export function Layout() {
  const { user, logout } = useAuth()
  const navigate = useNavigate()
  return (
    <div className="app">
      <Header
        user={user}
        onSignOut={() => {
          logout()
          navigate('/login')
        }}
      />
      <main className="app-main">
        <Outlet />
      </main>
    </div>
  )
}
