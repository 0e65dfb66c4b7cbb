import { useState, type ReactNode } from 'react'
import { Button } from './ui'

interface Props {
  label: string
  confirmLabel: string
  onConfirm: () => void
  busy?: boolean
  variant?: 'danger' | 'secondary'
  children?: ReactNode
}

/** A two-step button for actions that cannot be undone (no blocking browser dialogs). */
export function ConfirmButton({ label, confirmLabel, onConfirm, busy, variant = 'danger' }: Props) {
  const [asking, setAsking] = useState(false)
  if (!asking) {
    return (
      <Button variant="secondary" small onClick={() => setAsking(true)} busy={busy}>
        {label}
      </Button>
    )
  }
  return (
    <span className="confirm-inline">
      <Button
        variant={variant}
        small
        busy={busy}
        onClick={() => {
          setAsking(false)
          onConfirm()
        }}
      >
        {confirmLabel}
      </Button>
      <Button variant="ghost" small onClick={() => setAsking(false)}>
        Keep
      </Button>
    </span>
  )
}
