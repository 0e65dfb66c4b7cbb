import type { ReactNode } from 'react'
import { NavLink } from 'react-router'
import type { User } from '../api/types'
import { useUnreadTotal } from '../hooks/useMessaging'
import { canSee, NAV } from '../lib/access'
import { hotel } from '../lib/hotel'
import { NotificationCenter } from './NotificationCenter'
import { Button } from './ui'

interface HeaderProps {
  user: User | null
  onSignOut: () => void
  /** Live-connection indicator (WebSocket status) goes here. */
  status?: ReactNode
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/)
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase()
}

function roleLabel(user: User): string {
  if (user.role === 'staff' && user.department) return user.department.replace(/_/g, ' ')
  return user.is_vip ? 'VIP guest' : user.role
}

export function Header({ user, onSignOut, status }: HeaderProps) {
  const items = user ? NAV.filter((item) => canSee(user, item.area)) : []
  const unread = useUnreadTotal(user ? user.id : null)
  const unreadMessages = user ? unread : 0
  return (
    <header className="app-header">
      <div className="app-header-bar">
        <NavLink to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          <span className="brand-name">{hotel().name}</span>
        </NavLink>
        <div className="app-header-right">
          {status && <div className="header-status">{status}</div>}
          {user && (
            <>
              <NotificationCenter unreadMessages={unreadMessages} />
              <NavLink
                to="/profile"
                className="who"
                data-testid="current-user"
                title={`${user.full_name} (${user.email}): your profile`}
              >
                {user.avatar ? (
                  <img className="who-initials who-avatar" src={user.avatar.thumbnail_url} alt="" />
                ) : (
                  <span className="who-initials" aria-hidden="true">
                    {initials(user.full_name)}
                  </span>
                )}
                <span className="who-text">
                  <span className="who-name">{user.full_name}</span>
                  <span className="who-role">{roleLabel(user)}</span>
                </span>
              </NavLink>
              <Button variant="ghost" small onClick={onSignOut}>
                Sign out
              </Button>
            </>
          )}
        </div>
      </div>
      {items.length > 0 && (
        <nav className="app-nav" aria-label="Main">
          {items.map((item) => (
            // The link is named by the word on screen (what a voice-control user says), the
            // full label following the short phone word for screen readers.
            <NavLink key={item.path} to={item.path} end>
              <span className="nav-long">{item.label}</span>
              <span className="nav-short">
                {item.short}
                {item.short !== item.label && <span className="sr-only"> ({item.label})</span>}
              </span>
              {item.area === 'messages' && unreadMessages > 0 && (
                <>
                  {' '}
                  <span className="nav-count" data-testid="messages-unread" title={`${unreadMessages} unread messages`}>
                    {unreadMessages > 99 ? '99+' : unreadMessages}
                  </span>
                  <span className="sr-only"> unread</span>
                </>
              )}
            </NavLink>
          ))}
        </nav>
      )}
    </header>
  )
}
