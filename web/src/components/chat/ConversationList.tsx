import type { Conversation, MessagePreview, User } from '../../api/types'
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

/** Who wrote the latest message, as a row shows it before its text. */
function previewAuthor(last: MessagePreview, conversation: Conversation, user: User): string {
  if (last.kind === 'note') return 'Note: '
  if (last.sender_id === user.id) return 'You: '
  // With a guest, each side knows who the other is; in a group the name matters.
  if (conversation.type === 'staff_staff') return `${last.sender_name}: `
  return ''
}

/** The inbox: one row a conversation, the latest first, with its unread count and a preview
 *  of its latest message. */
export function ConversationList({ conversations, user, selected, onSelect }: ConversationListProps) {
  const staff = isStaff(user)
  return (
    <ul className="conversation-list" aria-label="Conversations">
      {conversations.map((conversation) => {
        const last = conversation.last_message ?? null
        const when = last?.created_at ?? conversation.last_message_at ?? conversation.created_at
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
              {last && (
                <span className="conversation-preview" data-testid="conversation-preview">
                  <span className="conversation-preview-author">{previewAuthor(last, conversation, user)}</span>
                  {last.body}
                </span>
              )}
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
