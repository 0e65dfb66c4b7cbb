import type { ConnectionState } from '../lib/websocket'

const LOOK: Record<ConnectionState, { label: string; color: string }> = {
  idle: { label: 'Not connected', color: '#9ca3af' },
  connecting: { label: 'Connecting…', color: '#d97706' },
  open: { label: 'Live', color: '#16a34a' },
  degraded: { label: 'Live, some updates delayed', color: '#d97706' },
  reconnecting: { label: 'Reconnecting…', color: '#d97706' },
  offline: { label: 'Offline', color: '#dc2626' },
  closed: { label: 'Not connected', color: '#9ca3af' },
}

/** Whether live updates are flowing: a dot and a word in the header. */
export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  const { label, color } = LOOK[state]
  return (
    <span
      data-testid="connection-state"
      data-state={state}
      role="status"
      title="Live updates"
      style={{ display: 'inline-flex', alignItems: 'center', gap: '0.35rem', fontSize: '0.85rem' }}
    >
      <span aria-hidden="true" style={{ width: 8, height: 8, borderRadius: '50%', background: color }} />
      {label}
    </span>
  )
}
