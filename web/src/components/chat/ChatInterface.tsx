import { useEffect, useLayoutEffect, useRef } from 'react'
import { api } from '../../api'
import type { Conversation, User } from '../../api/types'
import { useAction } from '../../hooks/useAction'
import { useResource } from '../../hooks/useResource'
import { useThread, useTyping } from '../../hooks/useMessaging'
import { isStaff } from '../../lib/access'
import { actionErrorSentence, inboxLabel } from '../../lib/chat'
import { invalidate } from '../../lib/invalidation'
import { Button, ErrorMessage, Loading, StatusBadge } from '../ui'
import { Composer } from './Composer'
import { MessageBubble } from './MessageBubble'
import { AssigneePresence, DepartmentAvailability } from './Presence'

/** Within this many pixels of the bottom, new messages keep the view at the bottom. */
const NEAR_BOTTOM = 120

export function conversationTitle(conversation: Conversation, user: User): string {
  if (conversation.type === 'staff_staff') return conversation.subject || 'Team chat'
  if (!isStaff(user)) return inboxLabel(conversation.department)
  return conversation.guest_name ?? 'Guest'
}

/** Who a guest conversation may be handed to: its department's staff and the managers. */
function useAssignees(conversation: Conversation) {
  const colleagues = useResource(
    (signal) => api.users.list({ staff_only: true, limit: 100 }, signal),
    conversation.type === 'guest_staff' ? 'assignees' : null,
  )
  return (colleagues.data?.items ?? []).filter(
    (person) =>
      person.is_active &&
      (person.role === 'manager' || (person.role === 'staff' && person.department === conversation.department)),
  )
}

function StaffActions({ conversation, user }: { conversation: Conversation; user: User }) {
  const act = useAction(async (change: 'mine' | 'unassign' | 'close' | 'reopen' | number) => {
    const id = conversation.id
    if (typeof change === 'number') await api.messages.assign(id, change)
    else if (change === 'mine') await api.messages.assign(id, user.id)
    else if (change === 'unassign') await api.messages.assign(id, null)
    else if (change === 'close') await api.messages.close(id)
    else await api.messages.reopen(id)
    invalidate('conversations')
  })
  const guestChat = conversation.type === 'guest_staff'
  const assignees = useAssignees(conversation).filter((person) => person.id !== conversation.assignee_id)
  return (
    <div className="chat-actions">
      {guestChat && assignees.length > 0 && (
        <select
          className="chat-assign"
          aria-label="Assign to a colleague"
          value=""
          disabled={act.pending}
          onChange={(event) => {
            if (event.target.value) void act.run(Number(event.target.value))
          }}
        >
          <option value="">Assign to…</option>
          {assignees.map((person) => (
            <option key={person.id} value={person.id}>
              {person.full_name}
            </option>
          ))}
        </select>
      )}
      {guestChat && conversation.assignee_id !== user.id && (
        <Button variant="secondary" small busy={act.pending} onClick={() => void act.run('mine')}>
          Assign to me
        </Button>
      )}
      {guestChat && conversation.assignee_id !== null && (
        <Button variant="ghost" small busy={act.pending} onClick={() => void act.run('unassign')}>
          Unassign
        </Button>
      )}
      {conversation.status === 'open' ? (
        <Button variant="secondary" small busy={act.pending} onClick={() => void act.run('close')}>
          Close
        </Button>
      ) : (
        <Button variant="secondary" small busy={act.pending} onClick={() => void act.run('reopen')}>
          Reopen
        </Button>
      )}
      {act.error ? (
        <div className="alert alert-error" role="alert">
          {actionErrorSentence(act.error)}
        </div>
      ) : null}
    </div>
  )
}

/**
 * One conversation: newest messages at the bottom, older ones loaded on scrolling up (or
 * "Load earlier"), live arrivals, who is typing, read marks sent as messages are shown, and
 * the composer.
 */
export function ChatInterface({ conversationId, user, onBack }: { conversationId: number; user: User; onBack?: () => void }) {
  const thread = useThread(conversationId)
  const typing = useTyping(conversationId, user.id)
  const staff = isStaff(user)
  const scroller = useRef<HTMLDivElement>(null)
  const shown = useRef({ first: 0, last: 0, height: 0, top: 0 })
  const markedUpTo = useRef(0)
  const conversation = thread.detail?.conversation
  const messages = thread.messages
  const lastMessage = messages[messages.length - 1]

  // Keep the reader's place: at the bottom for new messages (when they were there or sent
  // it), still when older ones are added above.
  useLayoutEffect(() => {
    const box = scroller.current
    if (!box || messages.length === 0) return
    const before = shown.current
    const first = messages[0].id
    const last = messages[messages.length - 1].id
    if (before.last === 0) box.scrollTop = box.scrollHeight
    else if (first < before.first && last === before.last) box.scrollTop = box.scrollHeight - before.height + before.top
    else if (last > before.last) {
      const wasNear = before.height - before.top - box.clientHeight < NEAR_BOTTOM
      if (wasNear || messages[messages.length - 1].sender_id === user.id) box.scrollTop = box.scrollHeight
    }
    shown.current = { first, last, height: box.scrollHeight, top: box.scrollTop }
  }, [messages, user.id])

  useEffect(() => {
    shown.current = { first: 0, last: 0, height: 0, top: 0 }
    markedUpTo.current = 0
  }, [conversationId])

  // Read marks: what is on screen in a visible tab has been read.
  const unread = conversation?.unread ?? 0
  const lastId = lastMessage?.id ?? 0
  useEffect(() => {
    const mark = () => {
      if (document.visibilityState !== 'visible' || unread === 0 || lastId <= markedUpTo.current) return
      markedUpTo.current = lastId
      api.messages
        .markRead(lastId)
        .then(() => invalidate('conversations'))
        .catch(() => {
          markedUpTo.current = 0
        })
    }
    mark()
    document.addEventListener('visibilitychange', mark)
    return () => document.removeEventListener('visibilitychange', mark)
  }, [unread, lastId])

  const others = (thread.detail?.participants ?? []).filter((p) => p.user_id !== user.id)
  const seenUpTo = Math.max(0, ...others.map((p) => p.last_read_message_id ?? 0))

  function scrolled() {
    const box = scroller.current
    if (!box) return
    shown.current = { ...shown.current, height: box.scrollHeight, top: box.scrollTop }
    if (box.scrollTop < 40 && thread.hasOlder && !thread.loadingOlder) thread.loadOlder()
  }

  return (
    <section className="chat" aria-label="Conversation">
      <header className="chat-header">
        {onBack && (
          <Button variant="ghost" small className="chat-back" onClick={onBack}>
            ← All conversations
          </Button>
        )}
        {conversation && (
          <div className="chat-title">
            <h2>{conversationTitle(conversation, user)}</h2>
            <div className="chat-subtitle">
              {staff && conversation.type === 'guest_staff' && <span>{inboxLabel(conversation.department)}</span>}
              {conversation.subject && <span>{conversation.subject}</span>}
              <StatusBadge status={conversation.status} />
              {staff && conversation.type === 'guest_staff' && (
                <span data-testid="assignee">
                  {conversation.assignee_name ? `Assigned to ${conversation.assignee_name}` : 'Unassigned'}
                  <AssigneePresence department={conversation.department} assigneeId={conversation.assignee_id} />
                </span>
              )}
              {!staff && conversation.type === 'guest_staff' && (
                <DepartmentAvailability department={conversation.department} />
              )}
            </div>
          </div>
        )}
        {conversation && staff && <StaffActions conversation={conversation} user={user} />}
      </header>
      <ErrorMessage error={thread.error} />
      {thread.loading && !conversation && <Loading label="Loading the conversation…" />}
      <div className="chat-scroll" ref={scroller} onScroll={scrolled} data-testid="chat-scroll">
        {thread.hasOlder && (
          <div className="chat-older">
            <Button variant="ghost" small busy={thread.loadingOlder} onClick={thread.loadOlder}>
              Load earlier messages
            </Button>
          </div>
        )}
        {conversation && messages.length === 0 && <p className="muted chat-empty">No messages yet. Say hello.</p>}
        <ol className="chat-messages" aria-label="Messages" aria-live="polite">
          {messages.map((message) => (
            <MessageBubble
              key={message.id}
              message={message}
              mine={message.sender_id === user.id}
              read={message.id <= seenUpTo}
            />
          ))}
        </ol>
      </div>
      <div className="chat-typing" aria-live="polite" data-testid="typing">
        {typing.length > 0 && `${typing.join(', ')} ${typing.length === 1 ? 'is' : 'are'} typing…`}
      </div>
      {conversation && (
        <>
          {conversation.status === 'closed' && (
            <p className="muted chat-closed">
              {staff
                ? 'This conversation is closed. A reply from you keeps it closed; the guest writing reopens it.'
                : 'This conversation is closed. Write again and it reopens.'}
            </p>
          )}
          <Composer conversationId={conversation.id} staff={staff} onSent={thread.add} />
        </>
      )}
    </section>
  )
}
