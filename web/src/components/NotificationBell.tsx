/** The header's bell button with the unread badge. */
export function NotificationBell({ unread, open, onToggle }: { unread: number; open: boolean; onToggle: () => void }) {
  return (
    <button
      type="button"
      className="bell-button"
      aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
      aria-expanded={open}
      onClick={onToggle}
    >
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
        <path
          d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6Zm0 19a2.5 2.5 0 0 0 2.4-2h-4.8a2.5 2.5 0 0 0 2.4 2Z"
          fill="currentColor"
        />
      </svg>
      {unread > 0 && (
        <span className="bell-count" data-testid="unread-count">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </button>
  )
}
