import { useState } from 'react'
import { useSearchParams } from 'react-router'
import type { ConversationFilters } from '../api/endpoints'
import type { Conversation, Inbox, User } from '../api/types'
import { INBOXES } from '../api/types'
import { ChatInterface } from '../components/chat/ChatInterface'
import { ConversationList } from '../components/chat/ConversationList'
import { SearchResults } from '../components/chat/SearchResults'
import { StartConversation } from '../components/chat/StartConversation'
import { StartStaffChat } from '../components/chat/StartStaffChat'
import { ColleaguesOnline } from '../components/chat/Presence'
import { Button, EmptyState, ErrorMessage, Field, Loading, PageHeader } from '../components/ui'
import { useAuth } from '../hooks/useAuth'
import { api } from '../api'
import { useResource } from '../hooks/useResource'
import { useConversations } from '../hooks/useMessaging'
import { isManagement, isStaff } from '../lib/access'
import { INBOX_LABELS } from '../lib/chat'

const PAGE = 30

type View = 'all' | 'mine' | 'unassigned'
type StatusFilter = 'open' | 'closed' | ''

function isInbox(value: string | null): value is Inbox {
  return (INBOXES as readonly string[]).includes(value ?? '')
}

/** Staff narrow the inbox: theirs, nobody's, a department's, open or closed; or search. */
function StaffFilters({
  user,
  filters,
  onChange,
  search,
  onSearch,
}: {
  user: User
  filters: ConversationFilters
  onChange: (filters: ConversationFilters) => void
  search: string
  onSearch: (text: string) => void
}) {
  const ownInbox = isInbox(user.department) ? user.department : null
  return (
    <div className="inbox-filters">
      <Field label="Search messages">
        <input type="search" value={search} placeholder="Words to find" onChange={(event) => onSearch(event.target.value)} />
      </Field>
      <Field label="Show">
        <select value={filters.view ?? 'all'} onChange={(event) => onChange({ ...filters, view: event.target.value as View })}>
          <option value="all">All I can see</option>
          <option value="mine">Assigned to me</option>
          <option value="unassigned">Unassigned</option>
        </select>
      </Field>
      <Field label="Inbox">
        <select
          value={filters.department ?? ''}
          onChange={(event) => onChange({ ...filters, department: isInbox(event.target.value) ? event.target.value : undefined })}
        >
          <option value="">Every inbox</option>
          {isManagement(user)
            ? INBOXES.map((inbox) => (
                <option key={inbox} value={inbox}>
                  {INBOX_LABELS[inbox]}
                </option>
              ))
            : ownInbox && <option value={ownInbox}>My department ({INBOX_LABELS[ownInbox]})</option>}
        </select>
      </Field>
      <Field label="Status">
        <select
          value={filters.status ?? ''}
          onChange={(event) => onChange({ ...filters, status: (event.target.value as StatusFilter) || undefined })}
        >
          <option value="">Open and closed</option>
          <option value="open">Open</option>
          <option value="closed">Closed</option>
        </select>
      </Field>
    </div>
  )
}

/** The booking a guest came from ("Message the front desk" on My bookings), if any. */
function useStartBooking(bookingId: number | null) {
  const booking = useResource(
    (signal) => api.bookings.get(bookingId!, signal),
    bookingId === null ? null : `booking-${bookingId}`,
  )
  return bookingId === null ? null : (booking.data ?? null)
}

/**
 * The messages inbox for everyone: guests see their conversations with the hotel and write
 * to a department; staff see their inbox with filters and search, answer, and start chats
 * with colleagues. The selected
 * conversation is in the address (`?c=`), so a reload keeps it open.
 */
export function MessagesPage() {
  const { user } = useAuth()
  const [params, setParams] = useSearchParams()
  const staff = user ? isStaff(user) : false
  const [filters, setFilters] = useState<ConversationFilters>({ view: 'all', status: staff ? 'open' : undefined })
  const [limit, setLimit] = useState(PAGE)
  const [search, setSearch] = useState('')
  const conversations = useConversations({ ...filters, limit })
  const selected = Number(params.get('c')) || null
  const startWith = params.get('start')
  const bookingId = Number(params.get('booking')) || null
  const startBooking = useStartBooking(staff ? null : bookingId)
  if (!user) return null

  const select = (id: number | null) => setParams(id === null ? {} : { c: String(id) })
  const starting = !staff && startWith !== null
  // Staff start a chat with colleagues (`?new=chat`).
  const startingChat = staff && params.get('new') === 'chat'
  const page = conversations.data
  const items = page?.items ?? []

  return (
    <>
      <PageHeader title="Messages">
        {!staff && !starting && (
          <Button small onClick={() => setParams({ start: 'front_desk' })}>
            New conversation
          </Button>
        )}
        {staff && !startingChat && (
          <Button small onClick={() => setParams({ new: 'chat' })}>
            New chat
          </Button>
        )}
      </PageHeader>
      <div className={selected !== null || starting || startingChat ? 'inbox inbox-has-selection' : 'inbox'}>
        <div className="inbox-list">
          {staff && (
            <ColleaguesOnline
              user={user}
              department={filters.department ?? (isInbox(user.department) ? user.department : null)}
            />
          )}
          {staff && (
            <StaffFilters
              user={user}
              filters={filters}
              onChange={(next) => {
                setFilters(next)
                setLimit(PAGE)
              }}
              search={search}
              onSearch={setSearch}
            />
          )}
          {search.trim() ? (
            <SearchResults query={search} onSelect={select} />
          ) : (
            <>
              <ErrorMessage error={conversations.error} onRetry={conversations.reload} />
              {conversations.loading && !page && <Loading label="Loading conversations…" />}
              {page && items.length === 0 && (
                <EmptyState title={staff ? 'No conversations here.' : 'No conversations yet.'}>
                  {staff ? 'Try another filter.' : 'Write to the front desk, the concierge, housekeeping or the kitchen.'}
                </EmptyState>
              )}
              <ConversationList conversations={items} user={user} selected={selected} onSelect={select} />
              {page && page.total > items.length && (
                <Button variant="ghost" small onClick={() => setLimit((n) => n + PAGE)}>
                  Show more conversations
                </Button>
              )}
            </>
          )}
        </div>
        <div className="inbox-chat">
          {starting ? (
            <StartConversation
              key={`${startWith}-${bookingId}-${startBooking?.id ?? ''}`}
              department={isInbox(startWith) ? startWith : 'front_desk'}
              booking={startBooking}
              onStarted={(conversation: Conversation) => select(conversation.id)}
              onCancel={() => select(null)}
            />
          ) : startingChat ? (
            <StartStaffChat
              user={user}
              onStarted={(conversation: Conversation) => select(conversation.id)}
              onCancel={() => select(null)}
            />
          ) : selected !== null ? (
            <ChatInterface key={selected} conversationId={selected} user={user} onBack={() => select(null)} />
          ) : (
            <div className="inbox-placeholder">
              <EmptyState title="Pick a conversation.">
                {staff ? 'Guests’ messages to your inbox appear on the left as they come.' : 'Or start a new one.'}
              </EmptyState>
            </div>
          )}
        </div>
      </div>
    </>
  )
}
