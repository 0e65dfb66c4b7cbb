import { useState } from 'react'
import { api } from '../../api'
import type { Booking, Conversation, Inbox } from '../../api/types'
import { INBOXES } from '../../api/types'
import { useCreate } from '../../hooks/useAction'
import { INBOX_LABELS, sendErrorSentence } from '../../lib/chat'
import { newIdempotencyKey } from '../../lib/idempotency'
import { invalidate } from '../../lib/invalidation'
import { Field } from '../ui'
import { StartForm } from './StartForm'

interface StartProps {
  department: Inbox
  booking: Booking | null
  onStarted: (conversation: Conversation) => void
  onCancel: () => void
}

interface Draft {
  department: Inbox
  subject: string
  body: string
  bookingId: number | null
  clientMessageId: string
}

/** A guest writes to a department: the conversation opens with their first message. */
export function StartConversation({ department: initial, booking, onStarted, onCancel }: StartProps) {
  const [department, setDepartment] = useState<Inbox>(initial)
  const [subject, setSubject] = useState(booking ? `Booking ${booking.reference}` : '')
  const [body, setBody] = useState('')
  // One id for this first message, so a retry after a lost answer sends it once.
  const [clientMessageId] = useState(newIdempotencyKey)
  const start = useCreate(async (draft: Draft, key: string) => {
    const conversation = await api.messages.open(
      { type: 'guest_staff', department: draft.department, subject: draft.subject.trim(), booking_id: draft.bookingId },
      key,
    )
    await api.messages.send({ conversation_id: conversation.id, body: draft.body, client_message_id: draft.clientMessageId })
    invalidate('conversations')
    return conversation
  })

  async function submit() {
    if (!body.trim()) return
    const conversation = await start.run({ department, subject, body, bookingId: booking?.id ?? null, clientMessageId })
    if (conversation) onStarted(conversation)
  }

  return (
    <StartForm
      label="New conversation"
      title="Write to the hotel"
      submitLabel="Send"
      busy={start.pending}
      disabled={!body.trim()}
      error={start.error ? sendErrorSentence(start.error) : null}
      onSubmit={() => void submit()}
      onCancel={onCancel}
    >
      <Field label="To">
        <select value={department} onChange={(event) => setDepartment(event.target.value as Inbox)}>
          {INBOXES.map((inbox) => (
            <option key={inbox} value={inbox}>
              {INBOX_LABELS[inbox]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Subject" hint="Optional">
        <input value={subject} maxLength={200} onChange={(event) => setSubject(event.target.value)} />
      </Field>
      <Field label="Your message">
        <textarea rows={4} maxLength={4000} value={body} onChange={(event) => setBody(event.target.value)} />
      </Field>
    </StartForm>
  )
}
