import type { ReactNode } from 'react'
import { Button } from '../ui'

interface StartFormProps {
  /** The form's accessible name, e.g. "New conversation". */
  label: string
  title: string
  submitLabel: string
  busy: boolean
  disabled: boolean
  /** What went wrong, as a sentence, or null. */
  error: string | null
  onSubmit: () => void
  onCancel: () => void
  children: ReactNode
}

/** The frame of a form that opens a conversation (a guest's to a department, a staff
 * chat): its heading, its fields, the sentence when it failed, send and cancel. */
export function StartForm({ label, title, submitLabel, busy, disabled, error, onSubmit, onCancel, children }: StartFormProps) {
  return (
    <form
      className="card start-conversation"
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault()
        onSubmit()
      }}
    >
      <h2>{title}</h2>
      {children}
      {error ? (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="button-row">
        <Button type="submit" busy={busy} disabled={disabled}>
          {submitLabel}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  )
}
