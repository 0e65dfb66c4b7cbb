import type { Inbox, User } from '../../api/types'
import { usePresence } from '../../hooks/useMessaging'
import { isManagement } from '../../lib/access'
import { INBOX_LABELS, inboxLabel } from '../../lib/chat'

function Dot({ online }: { online: boolean }) {
  return <span className={online ? 'presence-dot presence-dot-on' : 'presence-dot'} aria-hidden="true" />
}

/** Staff: who of the department is online now (the inbox's header). */
export function ColleaguesOnline({ user, department }: { user: User; department: Inbox | null }) {
  const inbox = department ?? (isManagement(user) ? 'front_desk' : null)
  const presence = usePresence(inbox)
  const online = presence.data?.online
  if (!inbox || !online) return null
  const label = INBOX_LABELS[inbox]
  return (
    <div className="presence-strip" data-testid="colleagues-online" aria-live="polite">
      <Dot online={online.length > 0} />
      <span className="presence-strip-label">{label} online:</span>{' '}
      {online.length === 0 ? (
        <span className="muted">nobody right now</span>
      ) : (
        <span className="presence-names">{online.map((person) => person.full_name).join(', ')}</span>
      )}
    </div>
  )
}

/** Staff: whether the assignee is online, a dot beside their name. */
export function AssigneePresence({ department, assigneeId }: { department: Inbox | null; assigneeId: number | null }) {
  const presence = usePresence(assigneeId === null ? null : department)
  const online = presence.data?.online
  if (assigneeId === null || !online) return null
  const here = online.some((person) => person.user_id === assigneeId)
  return (
    <span className="presence-assignee" data-testid="assignee-presence" title={here ? 'Online now' : 'Not online'}>
      <Dot online={here} />
      <span className="sr-only">{here ? 'online now' : 'not online'}</span>
    </span>
  )
}

/** A guest: whether anyone of the department is there to answer, never who. */
export function DepartmentAvailability({ department }: { department: Inbox | null }) {
  const presence = usePresence(department)
  if (!department || !presence.data) return null
  const available = presence.data.available
  return (
    <span className="presence-availability" data-testid="department-presence">
      <Dot online={available} />
      {available
        ? `${inboxLabel(department)} is online`
        : `${inboxLabel(department)} is away: we answer as soon as we are back`}
    </span>
  )
}
