import { useState } from 'react'
import { api } from '../api'
import type { User } from '../api/types'
import { Button, EmptyState, ErrorMessage, Field, Loading, PageHeader } from '../components/ui'
import { NewGuestForm } from '../components/NewGuestForm'
import { useResource } from '../hooks/useResource'
import { FindRoomPage } from './FindRoomPage'

/** The front desk books a room for a guest: one found by name or email, or one added here
 *  (a walk-in or a caller without an account). */
export function WalkInBookingPage() {
  const [search, setSearch] = useState('')
  const [guest, setGuest] = useState<User | null>(null)
  const [adding, setAdding] = useState(false)
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
          <EmptyState title="No guest matches.">Add them below to book for them.</EmptyState>
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
        {adding ? (
          <NewGuestForm
            name={/@/.test(term) ? '' : term}
            onCreated={(created) => {
              setAdding(false)
              setGuest(created)
            }}
            onCancel={() => setAdding(false)}
          />
        ) : (
          <div className="button-row">
            <Button variant="secondary" small onClick={() => setAdding(true)}>
              New guest
            </Button>
          </div>
        )}
      </div>
    </>
  )
}
