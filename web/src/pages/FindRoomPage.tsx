import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { api } from '../api'
import type { Booking, User } from '../api/types'
import { RoomOptionCard } from '../components/RoomOptionCard'
import { Button, EmptyState, ErrorMessage, Field, Loading, Notice, PageHeader } from '../components/ui'
import { useCreate } from '../hooks/useAction'
import { useAvailability, type StaySearch } from '../hooks/useHotel'
import { addDays, formatDay, today } from '../lib/dates'
import { invalidate } from '../lib/invalidation'

function defaultSearch(): StaySearch {
  const checkIn = addDays(today(), 1)
  return { check_in: checkIn, check_out: addDays(checkIn, 2), guests: 2 }
}

interface Props {
  /** The front desk booking for a guest (walk-in or phone call). */
  forGuest?: User
}

export function FindRoomPage({ forGuest }: Props = {}) {
  const [form, setForm] = useState<StaySearch>(defaultSearch)
  const [search, setSearch] = useState<StaySearch>(form)
  const [booked, setBooked] = useState<Booking | null>(null)
  const [bookingTypeId, setBookingTypeId] = useState<number | null>(null)
  const availability = useAvailability(search)
  const book = useCreate(api.bookings.create)

  function submit(event: FormEvent) {
    event.preventDefault()
    setBooked(null)
    setSearch({ ...form })
  }

  async function bookRoom(roomTypeId: number, specialRequests: string) {
    setBookingTypeId(roomTypeId)
    const booking = await book.run({
      room_type_id: roomTypeId,
      check_in: search.check_in,
      check_out: search.check_out,
      guests: search.guests,
      ...(forGuest ? { guest_id: forGuest.id } : {}),
      ...(specialRequests ? { special_requests: specialRequests } : {}),
    })
    if (booking) {
      setBooked(booking)
      invalidate('bookings', 'availability')
      window.scrollTo({ top: 0, behavior: 'smooth' })
    }
  }

  // Only the answer for the dates asked: after a failed or newer search, older results
  // would offer rooms for dates the guest no longer wants.
  const answered = availability.data
  const result =
    answered &&
    !availability.error &&
    !booked &&
    answered.check_in === search.check_in &&
    answered.check_out === search.check_out &&
    answered.guests === search.guests
      ? answered
      : null
  return (
    <>
      {!forGuest && <PageHeader title="Find a room" />}
      <form className="card search-form" onSubmit={submit}>
        <Field label="Check-in">
          <input
            type="date"
            name="check_in"
            min={today()}
            value={form.check_in}
            onChange={(e) => {
              const checkIn = e.target.value
              setForm((f) => ({
                ...f,
                check_in: checkIn,
                check_out: f.check_out <= checkIn ? addDays(checkIn, 1) : f.check_out,
              }))
            }}
            required
          />
        </Field>
        <Field label="Check-out">
          <input
            type="date"
            name="check_out"
            min={form.check_in ? addDays(form.check_in, 1) : undefined}
            value={form.check_out}
            onChange={(e) => setForm((f) => ({ ...f, check_out: e.target.value }))}
            required
          />
        </Field>
        <Field label="Guests">
          <input
            type="number"
            name="guests"
            min={1}
            max={12}
            value={form.guests}
            onChange={(e) => setForm((f) => ({ ...f, guests: Number(e.target.value) || 1 }))}
            required
          />
        </Field>
        <Button type="submit" className="search-submit">
          Search
        </Button>
      </form>

      {booked && (
        <Notice>
          Booked! Your reference is <strong data-testid="booking-reference">{booked.reference}</strong> —{' '}
          {booked.room_type_name}, {formatDay(booked.check_in)} to {formatDay(booked.check_out)}.{' '}
          <Link to={forGuest ? '/desk/bookings' : '/my-bookings'}>{forGuest ? 'See all bookings' : 'See my bookings'}</Link>{' '}
          <Button variant="ghost" small onClick={() => setBooked(null)}>
            Book another room
          </Button>
        </Notice>
      )}

      <ErrorMessage error={availability.error} onRetry={availability.reload} />
      {availability.loading && !result && !booked && <Loading label="Looking for free rooms…" />}
      {result && (
        <section className="results" aria-busy={availability.loading}>
          <p className="muted">
            {formatDay(result.check_in)} → {formatDay(result.check_out)} · {result.nights} night
            {result.nights === 1 ? '' : 's'} · {result.guests} guest{result.guests === 1 ? '' : 's'}
          </p>
          {result.options.length === 0 ? (
            <EmptyState title="No rooms are free for these dates.">Try other dates or fewer guests.</EmptyState>
          ) : (
            <div className="room-list">
              {result.options.map((option) => (
                <RoomOptionCard
                  key={option.room_type.id}
                  option={option}
                  nights={result.nights}
                  booking={book.pending && bookingTypeId === option.room_type.id}
                  error={bookingTypeId === option.room_type.id ? book.error : null}
                  onBook={(requests) => bookRoom(option.room_type.id, requests)}
                />
              ))}
            </div>
          )}
        </section>
      )}
    </>
  )
}
