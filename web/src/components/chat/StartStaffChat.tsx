import { useState } from 'react'
import { api } from '../../api'
import type { Conversation, User } from '../../api/types'
import { useCreate } from '../../hooks/useAction'
import { useResource } from '../../hooks/useResource'
import { startChatErrorSentence } from '../../lib/chat'
import { invalidate } from '../../lib/invalidation'
import { ErrorMessage, Field, Loading } from '../ui'
import { StartForm } from './StartForm'

interface StartStaffChatProps {
  user: User
  onStarted: (conversation: Conversation) => void
  onCancel: () => void
}

interface Draft {
  participantIds: number[]
  subject: string
}

/** What a colleague does, beside their name: their department, or their role. */
function colleagueRole(person: User): string {
  if (person.role !== 'staff') return person.role === 'admin' ? 'Admin' : 'Manager'
  if (!person.department) return 'Staff'
  const words = person.department.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/**
 * A staff member opens a chat with one colleague or a group (`staff_staff`): pick them from
 * the staff directory (searched by name as one types), and give the chat a subject if it
 * helps. The chat opens at once, ready for the first message.
 */
export function StartStaffChat({ user, onStarted, onCancel }: StartStaffChatProps) {
  const [search, setSearch] = useState('')
  const [picked, setPicked] = useState<Map<number, string>>(new Map())
  const [subject, setSubject] = useState('')
  const query = search.trim()
  const colleagues = useResource(
    (signal) => api.users.list({ staff_only: true, limit: 50, search: query || undefined }, signal),
    `staff-chat-colleagues-${query}`,
  )
  const choices = (colleagues.data?.items ?? []).filter((person) => person.is_active && person.id !== user.id)
  const start = useCreate(async (draft: Draft, key: string) => {
    const conversation = await api.messages.open(
      { type: 'staff_staff', participant_ids: draft.participantIds, subject: draft.subject.trim() },
      key,
    )
    invalidate('conversations')
    return conversation
  })

  function toggle(person: User, on: boolean) {
    setPicked((now) => {
      const next = new Map(now)
      if (on) next.set(person.id, person.full_name)
      else next.delete(person.id)
      return next
    })
  }

  async function submit() {
    if (picked.size === 0) return
    const conversation = await start.run({ participantIds: [...picked.keys()], subject })
    if (conversation) onStarted(conversation)
  }

  return (
    <StartForm
      label="New chat"
      title="Chat with colleagues"
      submitLabel="Start chat"
      busy={start.pending}
      disabled={picked.size === 0}
      error={start.error ? startChatErrorSentence(start.error) : null}
      onSubmit={() => void submit()}
      onCancel={onCancel}
    >
      {picked.size > 0 && (
        <ul className="picked-colleagues" aria-label="Chat with">
          {[...picked.entries()].map(([id, name]) => (
            <li key={id} className="picked-colleague">
              {name}
              <button
                type="button"
                className="picked-colleague-remove"
                aria-label={`Remove ${name}`}
                onClick={() =>
                  setPicked((now) => {
                    const next = new Map(now)
                    next.delete(id)
                    return next
                  })
                }
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <Field label="Find a colleague">
        <input type="search" value={search} placeholder="Name" onChange={(event) => setSearch(event.target.value)} />
      </Field>
      <ErrorMessage error={colleagues.error} onRetry={colleagues.reload} />
      {colleagues.loading && !colleagues.data && <Loading label="Loading colleagues…" />}
      <fieldset className="colleague-picker">
        <legend>Colleagues</legend>
        {colleagues.data && choices.length === 0 && <p className="muted">Nobody by that name.</p>}
        {choices.map((person) => (
          <label key={person.id} className="colleague-choice">
            <input
              type="checkbox"
              checked={picked.has(person.id)}
              onChange={(event) => toggle(person, event.target.checked)}
            />
            <span>{person.full_name}</span>
            <span className="muted">{colleagueRole(person)}</span>
          </label>
        ))}
      </fieldset>
      <Field label="Subject" hint="Optional">
        <input value={subject} maxLength={200} onChange={(event) => setSubject(event.target.value)} />
      </Field>
    </StartForm>
  )
}
