import { useState } from 'react'
import type { AvailabilityOption } from '../api/types'
import { formatDay } from '../lib/dates'
import { formatMoney } from '../lib/money'
import { RoomGallery } from './RoomGallery'
import { Button, ErrorMessage, Field, Money } from './ui'

interface Props {
  option: AvailabilityOption
  nights: number
  onBook: (specialRequests: string) => Promise<unknown>
  booking: boolean
  error: unknown
}

export function RoomOptionCard({ option, nights, onBook, booking, error }: Props) {
  const { room_type: type } = option
  const [showRates, setShowRates] = useState(false)
  const [requests, setRequests] = useState('')
  const [open, setOpen] = useState(false)
  const nightly = nights > 0 ? Math.round(option.total_amount / nights) : option.total_amount
  const soldOut = option.available_rooms <= 0
  return (
    <article className="card room-option" data-testid="room-option" aria-label={type.name}>
      <RoomGallery type={type} />
      <div className="room-body">
        <header className="room-title">
          <h2>{type.name}</h2>
          <span className="muted">
            up to {type.capacity} guest{type.capacity === 1 ? '' : 's'}
          </span>
        </header>
        {type.description && <p className="room-description">{type.description}</p>}
        {type.amenities.length > 0 && (
          <ul className="chips">
            {type.amenities.map((amenity) => (
              <li key={amenity}>{amenity}</li>
            ))}
          </ul>
        )}
        <div className="room-price">
          <div>
            <span className="price-nightly">
              <Money amount={nightly} currency={option.currency} /> <span className="muted">/ night</span>
            </span>
            <span className="price-total">
              <Money amount={option.total_amount} currency={option.currency} /> total for {nights} night
              {nights === 1 ? '' : 's'}
            </span>
          </div>
          <span className={soldOut ? 'availability sold-out' : 'availability'}>
            {soldOut ? 'Sold out' : `${option.available_rooms} left`}
          </span>
        </div>
        {option.nightly_rates.length > 0 && (
          <button type="button" className="link-button" onClick={() => setShowRates((s) => !s)}>
            {showRates ? 'Hide nightly rates' : 'Show nightly rates'}
          </button>
        )}
        {showRates && (
          <ul className="nightly-rates">
            {option.nightly_rates.map((rate) => (
              <li key={rate.date}>
                <span>{formatDay(rate.date)}</span>
                <span>{formatMoney(rate.amount, option.currency)}</span>
              </li>
            ))}
          </ul>
        )}
        <ErrorMessage error={error} />
        {open ? (
          <form
            className="book-form"
            onSubmit={(event) => {
              event.preventDefault()
              void onBook(requests.trim())
            }}
          >
            <Field label="Special requests (optional)">
              <textarea
                name="special_requests"
                rows={2}
                maxLength={1000}
                value={requests}
                onChange={(e) => setRequests(e.target.value)}
                placeholder="Late arrival, extra pillows, …"
              />
            </Field>
            <div className="button-row">
              <Button type="submit" busy={booking}>
                {booking ? 'Booking…' : `Confirm booking · ${formatMoney(option.total_amount, option.currency)}`}
              </Button>
              <Button variant="ghost" onClick={() => setOpen(false)}>
                Back
              </Button>
            </div>
          </form>
        ) : (
          <Button disabled={soldOut} onClick={() => setOpen(true)}>
            Book this room
          </Button>
        )}
      </div>
    </article>
  )
}
