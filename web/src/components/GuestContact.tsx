import type { ReactNode } from 'react'

/** How to reach a guest, as the desk reads it: the email and the phone as links (the phone
 * dialled by its digits), then any further facts the page adds. */
export function GuestContactFacts({
  guest,
  children,
}: {
  guest: { email: string; phone?: string | null }
  children?: ReactNode
}) {
  return (
    <dl className="facts">
      <div className="fact-wide">
        <dt>Email</dt>
        <dd><a href={`mailto:${guest.email}`}>{guest.email}</a></dd>
      </div>
      <div>
        <dt>Phone</dt>
        <dd>
          {guest.phone ? (
            <a href={`tel:${guest.phone.replace(/[^+0-9]/g, '')}`}>{guest.phone}</a>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
      </div>
      {children}
    </dl>
  )
}
