import { useState, type FormEvent } from 'react'
import { api, ApiError } from '../api'
import type { User } from '../api/types'
import { useCreate } from '../hooks/useAction'
import { EMAIL, PHONE, SENTENCES } from '../lib/validate'
import { Button, ErrorMessage, Field } from './ui'

interface Props {
  /** What the clerk already typed in the search, used as the name. */
  name: string
  onCreated: (guest: User) => void
  onCancel: () => void
}

/** A walk-in or a caller without an account: the desk adds them (they are emailed a link to
 *  choose a password) and books straight on. */
export function NewGuestForm({ name, onCreated, onCancel }: Props) {
  const [draft, setDraft] = useState({ full_name: name, email: '', phone: '' })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const create = useCreate(api.users.createGuest)

  function checked(): Record<string, string> {
    const found: Record<string, string> = {}
    if (!draft.full_name.trim()) found.full_name = SENTENCES.full_name
    if (!EMAIL.test(draft.email.trim())) found.email = SENTENCES.email
    if (draft.phone.trim() && !PHONE.test(draft.phone.trim())) found.phone = SENTENCES.phone
    return found
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    const found = checked()
    setErrors(found)
    if (Object.keys(found).length) return
    const guest = await create.run({
      full_name: draft.full_name.trim(),
      email: draft.email.trim(),
      phone: draft.phone.trim() || null,
    })
    if (guest) onCreated(guest)
  }

  const taken = create.error instanceof ApiError && create.error.code === 'email_taken' ? create.error.message : null
  return (
    <form className="new-guest" onSubmit={submit} noValidate aria-label="New guest">
      {!taken && <ErrorMessage error={create.error} />}
      <Field label="Full name" error={errors.full_name ?? create.fieldErrors.full_name}>
        <input value={draft.full_name} maxLength={200} autoComplete="off"
          onChange={(e) => setDraft({ ...draft, full_name: e.target.value })} />
      </Field>
      <Field label="Email" hint="They get a link to choose a password, to sign in later."
        error={errors.email ?? taken ?? create.fieldErrors.email}>
        <input type="email" value={draft.email} maxLength={320} autoComplete="off"
          onChange={(e) => setDraft({ ...draft, email: e.target.value })} />
      </Field>
      <Field label="Phone (optional)" error={errors.phone ?? create.fieldErrors.phone}>
        <input type="tel" value={draft.phone} maxLength={20} autoComplete="off"
          onChange={(e) => setDraft({ ...draft, phone: e.target.value })} />
      </Field>
      <div className="button-row">
        <Button type="submit" small busy={create.pending}>
          Add guest and book
        </Button>
        <Button variant="ghost" small onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  )
}
