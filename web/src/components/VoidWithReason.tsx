/**
 * A manager strikes out something recorded by mistake (a cash payment, a folio charge):
 * "Void" opens a reason field, and the reason is kept with what was voided.
 */
import { useState } from 'react'
import { useAction } from '../hooks/useAction'
import { Button, ErrorMessage, Field } from './ui'

export function VoidWithReason({ what, onVoid }: { what: string; onVoid: (reason: string) => Promise<unknown> }) {
  const [voiding, setVoiding] = useState(false)
  const [reason, setReason] = useState('')
  const voidIt = useAction(async () => {
    await onVoid(reason.trim())
    setVoiding(false)
    setReason('')
  })
  if (!voiding) {
    return (
      <Button variant="ghost" small onClick={() => setVoiding(true)}>
        Void
      </Button>
    )
  }
  return (
    <form
      className="void-form"
      onSubmit={(e) => {
        e.preventDefault()
        if (reason.trim()) void voidIt.run()
      }}
    >
      <ErrorMessage error={voidIt.error} />
      <Field label={`Why void this ${what}?`} error={voidIt.fieldErrors.reason}>
        <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} />
      </Field>
      <div className="button-row">
        <Button type="submit" variant="danger" small busy={voidIt.pending} disabled={!reason.trim()}>
          Void {what}
        </Button>
        <Button variant="ghost" small onClick={() => setVoiding(false)}>
          Keep
        </Button>
      </div>
    </form>
  )
}
