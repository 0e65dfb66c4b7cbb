import { useState } from 'react'
import { api } from '../api'
import type { User } from '../api/types'
import { Button, EmptyState, ErrorMessage, Field, Loading, PageHeader } from '../components/ui'
import { useResource } from '../hooks/useResource'
import { FindRoomPage } from './FindRoomPage'

/** The front desk books a room for a guest who already has an account. */
export function WalkInBookingPage() {
  const [search, setSearch] = useState('')
  const [guest, setGuest] = useState<User | null>(null)
  const term = search.trim()
  const guests = useResource((signal) => api.users.guests(term, signal), term.length >= 2 ? term : null)

  if (guest) {
    return (
      <>
        <PageHeader title={`Book for ${guest.full_name}`}>
          <Button variant="ghost" small onClick={() => setGuest(null)}>
            Another guest
          </Button>
        </PageHeader>
        <FindRoomPage forGuest={guest} />
      </>
    )
  }

  return (
    <>
      <PageHeader title="New booking" />
      <div className="card">
        <Field label="Find the guest" hint="Name or email, at least two letters">
          <input type="search" name="guest" value={search} onChange={(e) => setSearch(e.target.value)} autoFocus />
        </Field>
        <ErrorMessage error={guests.error} onRetry={guests.reload} />
        {guests.loading && <Loading label="Searching…" />}
        {term.length >= 2 && guests.data && guests.data.items.length === 0 && (
          <EmptyState title="No guest matches.">Guests create their account on the sign-up page.</EmptyState>
        )}
        {term.length >= 2 && guests.data && guests.data.items.length > 0 && (
          <ul className="pick-list">
            {guests.data.items.map((candidate) => (
              <li key={candidate.id}>
                <span>
                  <strong>{candidate.full_name}</strong>
                  {candidate.is_vip && <span className="badge badge-priority-high">VIP</span>}
                  <span className="muted small"> {candidate.email}</span>
                </span>
                <Button small onClick={() => setGuest(candidate)}>
                  Choose
                </Button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </>
  )
}
