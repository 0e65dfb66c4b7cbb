import { useState, type FormEvent } from 'react'
import { Link, useParams } from 'react-router'
import { api, ApiError } from '../api'
import type { GuestProfile } from '../api/types'
import { GuestPreferencesForm, preferencesSummary } from '../components/GuestPreferencesForm'
import { Button, EmptyState, ErrorMessage, Field, Loading, Money, PageHeader, StatusBadge } from '../components/ui'
import { useCreate } from '../hooks/useAction'
import { useGuestNotes, useGuestProfile } from '../hooks/useHotel'
import { formatDateTime, formatDay } from '../lib/dates'
import { invalidate } from '../lib/invalidation'
import { NotFoundPage } from './NotFoundPage'
import { GuestContactFacts } from '../components/GuestContact'

const NOTES_SHOWN = 20

/** A guest for the desk: contact details, preferences, every stay with totals, and the
 *  staff's notes (never shown to the guest). */
export function GuestPage() {
  const id = Number(useParams().id)
  const profile = useGuestProfile(id)
  if (profile.error instanceof ApiError && profile.error.status === 404) return <NotFoundPage />
  const data = profile.data
  return (
    <>
      <PageHeader title={data ? data.guest.full_name : 'Guest'}>
        <Link className="btn btn-ghost btn-small" to="/guests">All guests</Link>
      </PageHeader>
      <ErrorMessage error={profile.error} onRetry={profile.reload} />
      {profile.loading && !data && <Loading />}
      {data && (
        <div className="guest-page">
          <div className="page-column">
            <Contact data={data} />
            <StaffNotes guestId={data.guest.id} />
          </div>
          <div className="page-column">
            <Stays data={data} />
            <section className="card booking-section" aria-labelledby="prefs-title">
              <h2 id="prefs-title" className="section-title">Preferences</h2>
              <GuestPreferencesForm guestId={data.guest.id} saved={data.preferences} own={false} />
            </section>
          </div>
        </div>
      )}
    </>
  )
}

function Contact({ data }: { data: GuestProfile }) {
  const { guest, preferences } = data
  const likes = preferencesSummary(preferences)
  return (
    <section className="card booking-section" aria-labelledby="contact-title">
      <h2 id="contact-title" className="section-title">
        Contact {guest.is_vip && <span className="badge badge-vip">VIP</span>}
      </h2>
      <GuestContactFacts guest={guest}>
        <div>
          <dt>Guest since</dt>
          <dd>{formatDay(guest.created_at.slice(0, 10))}</dd>
        </div>
      </GuestContactFacts>
      {likes.length > 0 && <p className="long-text" data-testid="likes">{likes.join(' · ')}</p>}
    </section>
  )
}

function StaffNotes({ guestId }: { guestId: number }) {
  const [limit, setLimit] = useState(NOTES_SHOWN)
  const notes = useGuestNotes(guestId, limit)
  const [body, setBody] = useState('')
  const [error, setError] = useState('')
  const add = useCreate((text: string, key: string) => api.guests.addNote(guestId, text, key))

  async function submit(event: FormEvent) {
    event.preventDefault()
    const text = body.trim()
    if (!text) return setError('Write the note first.')
    if (text.length > 2000) return setError('Please keep a note under 2,000 characters.')
    setError('')
    if (await add.run(text)) {
      setBody('')
      invalidate('guests')
    }
  }

  const page = notes.data
  return (
    <section className="card booking-section" aria-labelledby="notes-title">
      <h2 id="notes-title" className="section-title">
        Staff notes <span className="muted small">· never shown to the guest</span>
      </h2>
      <form className="note-form" onSubmit={submit} noValidate aria-label="Add a note">
        <ErrorMessage error={add.error} />
        <Field label="New note" error={error || add.fieldErrors.body}>
          <textarea name="note" rows={2} value={body} maxLength={2000} onChange={(e) => { setBody(e.target.value); setError('') }} />
        </Field>
        <div className="button-row">
          <Button type="submit" small busy={add.pending}>Add note</Button>
        </div>
      </form>
      <ErrorMessage error={notes.error} onRetry={notes.reload} />
      {page && page.items.length === 0 && <EmptyState title="No notes yet." />}
      {page && page.items.length > 0 && (
        <ul className="plain-list notes-list" aria-label="Notes">
          {page.items.map((n) => (
            <li key={n.id} className="note" data-testid="note">
              <p className="long-text">{n.body}</p>
              <p className="muted small">{n.author_name ?? `Account ${n.author_id}`} · {formatDateTime(n.created_at)}</p>
            </li>
          ))}
        </ul>
      )}
      {page && page.total > page.items.length && (
        <Button variant="ghost" small onClick={() => setLimit((l) => l + NOTES_SHOWN)}>Older notes</Button>
      )}
    </section>
  )
}

function Stays({ data }: { data: GuestProfile }) {
  const { stays, totals } = data
  return (
    <section className="card booking-section" aria-labelledby="stays-title">
      <h2 id="stays-title" className="section-title">Stays</h2>
      <p className="stay-totals" data-testid="stay-totals">
        {totals.bookings} booking{totals.bookings === 1 ? '' : 's'} · {totals.stays} stay{totals.stays === 1 ? '' : 's'} ·{' '}
        {totals.nights} night{totals.nights === 1 ? '' : 's'}
        {totals.billed.map((b) => (
          <span key={b.currency}> · billed <Money amount={b.amount} currency={b.currency} /></span>
        ))}
      </p>
      {stays.length === 0 ? (
        <EmptyState title="No bookings yet." />
      ) : (
        <ul className="plain-list" aria-label="Stays">
          {stays.map((b) => (
            <li key={b.id} className="list-row" data-testid="stay-row">
              <span className="list-row-main">
                <Link to={`/bookings/${b.id}`} className="mono">{b.reference}</Link> · {formatDay(b.check_in)} → {formatDay(b.check_out)}
                <span className="muted"> · {b.room_type_name}{b.room_number ? ` ${b.room_number}` : ''} · </span>
                <Money amount={b.total_amount} currency={b.currency} />
              </span>
              <StatusBadge status={b.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
