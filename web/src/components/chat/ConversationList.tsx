import type { Conversation, User } from '../../api/types'
import { inboxLabel } from '../../lib/chat'
import { formatDateTime } from '../../lib/dates'
import { isStaff } from '../../lib/access'
import { conversationTitle } from './ChatInterface'

interface ConversationListProps {
  conversations: Conversation[]
  user: User
  selected: number | null
  onSelect: (id: number) => void
}

/** The inbox: one row a conversation, the latest first, with its unread count. */
export function ConversationList({ conversations, user, selected, onSelect }: ConversationListProps) {
  const staff = isStaff(user)
  return (
    <ul className="conversation-list" aria-label="Conversations">
      {conversations.map((conversation) => {
        const when = conversation.last_message_at ?? conversation.created_at
        return (
          <li key={conversation.id}>
            <button
              type="button"
              className={conversation.id === selected ? 'conversation-row active' : 'conversation-row'}
              aria-current={conversation.id === selected ? 'true' : undefined}
              data-testid="conversation"
              data-conversation-id={conversation.id}
              onClick={() => onSelect(conversation.id)}
            >
              <span className="conversation-top">
                <strong className="conversation-name">{conversationTitle(conversation, user)}</strong>
                {conversation.unread > 0 && (
                  <span className="unread-badge" data-testid="conversation-unread" aria-label={`${conversation.unread} unread`}>
                    {conversation.unread > 99 ? '99+' : conversation.unread}
                  </span>
                )}
              </span>
              <span className="conversation-sub">
                {staff && conversation.type === 'guest_staff' && <span>{inboxLabel(conversation.department)}</span>}
                {conversation.subject && <span>{conversation.subject}</span>}
                {conversation.status === 'closed' && <span className="badge badge-closed">closed</span>}
              </span>
              <span className="conversation-sub">
                <time dateTime={when}>{formatDateTime(when)}</time>
                {staff && conversation.type === 'guest_staff' && (
                  <span>{conversation.assignee_name ? `→ ${conversation.assignee_name}` : 'unassigned'}</span>
                )}
              </span>
            </button>
          </li>
        )
      })}
    </ul>
  )
}
