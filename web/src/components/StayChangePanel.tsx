import { useState } from 'react'
import { api } from '../api'
import type { Booking, StayChange } from '../api/types'
import { useAction } from '../hooks/useAction'
import { useRoomBoard } from '../hooks/useHotel'
import { addDays, formatDay, today } from '../lib/dates'
import { invalidate } from '../lib/invalidation'
import { Button, ErrorMessage, Field, Money } from './ui'

export type ChangeKind = 'move' | 'extend' | 'early' | 'no-show'

const TITLE: Record<ChangeKind, string> = {
  move: 'Move to another room',
  extend: 'Extend the stay',
  early: 'Early departure',
  'no-show': 'Mark as no-show',
}

/** The stay changes the desk may make to this booking now (the API checks the same). */
export function changesFor(booking: Booking, day: string = today()): ChangeKind[] {
  const kinds: ChangeKind[] = []
  const active = ['pending', 'confirmed', 'checked_in'].includes(booking.status)
  if (active) kinds.push('move', 'extend')
  if (booking.status === 'checked_in' && addDays(booking.check_in, 1) < booking.check_out && day < booking.check_out) {
    kinds.push('early')
  }
  if (booking.status === 'confirmed' && booking.check_in < day) kinds.push('no-show')
  return kinds
}

function send(booking: Booking, kind: ChangeKind, roomId: number, checkOut: string, preview: boolean) {
  switch (kind) {
    case 'move':
      return api.bookings.move(booking.id, roomId, preview)
    case 'extend':
      return api.bookings.extend(booking.id, checkOut, preview)
    case 'early':
      return api.bookings.departEarly(booking.id, preview)
    case 'no-show':
      return api.bookings.noShow(booking.id, preview)
  }
}

/** Move, extend, early departure or no-show: first priced (nothing changes), then confirmed. */
export function StayChangePanel({ booking, kind, onClose }: { booking: Booking; kind: ChangeKind; onClose: () => void }) {
  const board = useRoomBoard()
  const [roomId, setRoomId] = useState(0)
  const [checkOut, setCheckOut] = useState(addDays(booking.check_out, 1))
  const [quote, setQuote] = useState<StayChange | null>(null)
  const preview = useAction(() => send(booking, kind, roomId, checkOut, true))
  const apply = useAction(async () => {
    const done = await send(booking, kind, roomId, checkOut, false)
    invalidate('bookings', 'availability', 'rooms')
    return done
  })
  const rooms = (board.data ?? []).filter((r) => r.room_id !== booking.room_id && r.status !== 'out_of_service')
  const needsInput = kind === 'move' || kind === 'extend'
  const ready = kind !== 'move' || roomId > 0

  async function review() {
    setQuote(null)
    const answer = await preview.run()
    if (answer) setQuote(answer)
  }

  async function confirm() {
    if (await apply.run()) onClose()
  }

  const changed = quote?.booking
  return (
    <section className="stay-change" aria-label={TITLE[kind]} data-testid="stay-change">
      <h4>{TITLE[kind]}</h4>
      {kind === 'move' && (
        <Field label="New room" error={preview.fieldErrors.room_id}>
          <select name="room_id" value={roomId} onChange={(e) => { setRoomId(Number(e.target.value)); setQuote(null) }}>
            <option value={0}>Choose a room…</option>
            {rooms.map((r) => (
              <option key={r.room_id} value={r.room_id}>
                {r.number} · {r.room_type_name}
              </option>
            ))}
          </select>
        </Field>
      )}
      {kind === 'extend' && (
        <Field label="New check-out" error={preview.fieldErrors.check_out}>
          <input
            type="date"
            name="check_out"
            min={addDays(booking.check_out, 1)}
            value={checkOut}
            onChange={(e) => { setCheckOut(e.target.value); setQuote(null) }}
          />
        </Field>
      )}
      {kind === 'early' && <p className="muted">The guest checks out today; the nights not stayed come off the bill.</p>}
      {kind === 'no-show' && <p className="muted">The room is freed; only the first night stays on the bill.</p>}
      {changed && quote && (
        <dl className="facts stay-quote" data-testid="stay-quote">
          {kind === 'move' && (
            <div>
              <dt>Room</dt>
              <dd>{changed.room_number} · {changed.room_type_name}</dd>
            </div>
          )}
          <div className="fact-wide">
            <dt>Dates</dt>
            <dd>{formatDay(changed.check_in)} → {formatDay(changed.check_out)}</dd>
          </div>
          <div>
            <dt>Was</dt>
            <dd><Money amount={quote.previous_total_amount} currency={changed.currency} /></dd>
          </div>
          <div>
            <dt>New total</dt>
            <dd><Money amount={changed.total_amount} currency={changed.currency} /></dd>
          </div>
        </dl>
      )}
      <div className="button-row">
        {!quote && (
          <Button small busy={preview.pending} disabled={!ready} onClick={() => void review()}>
            {needsInput ? 'See new total' : 'Review'}
          </Button>
        )}
        {quote && (
          <Button small variant="danger" busy={apply.pending} onClick={() => void confirm()}>
            Confirm · {TITLE[kind].toLowerCase()}
          </Button>
        )}
        <Button small variant="ghost" onClick={onClose}>
          Keep as is
        </Button>
      </div>
      <ErrorMessage error={preview.error ?? apply.error} />
    </section>
  )
}

export { TITLE as STAY_CHANGE_TITLES }
