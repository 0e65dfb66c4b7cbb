import { useState } from 'react'
import { Link } from 'react-router'
import { api } from '../api'
import { everyValue, type BoardStatus, type RoomBoardEntry } from '../api/types'
import { Button, EmptyState, ErrorMessage, Field, Loading, PageHeader } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useAuth } from '../hooks/useAuth'
import { useRoomBoard } from '../hooks/useHotel'
import { canSee, isManagement, mayCleanRooms } from '../lib/access'
import { formatDay, formatTime } from '../lib/dates'
import { invalidate } from '../lib/invalidation'

const LABEL: Record<BoardStatus, string> = {
  vacant_clean: 'Clean',
  vacant_dirty: 'Dirty',
  occupied: 'Occupied',
  out_of_service: 'Out of service',
}
const ORDER = everyValue<BoardStatus>()(['vacant_dirty', 'vacant_clean', 'occupied', 'out_of_service'])

/** One room: its status, today's arrival and departure, and what this user may do to it. */
function RoomTile({ room, canClean, canManage, canOpenBookings }: { room: RoomBoardEntry; canClean: boolean; canManage: boolean; canOpenBookings: boolean }) {
  const [closing, setClosing] = useState(false)
  const [reason, setReason] = useState('')
  const act = useAction(async (work: () => Promise<unknown>) => {
    await work()
    setClosing(false)
    setReason('')
    invalidate('rooms', 'availability')
  })
  const outOfService = room.status === 'out_of_service'
  return (
    <article
      className={`room-tile room-${room.status}`}
      data-testid="room-tile"
      data-room={room.number}
      data-status={room.status}
      aria-label={`Room ${room.number}: ${LABEL[room.status]}`}
    >
      <header className="room-tile-head">
        <span className="room-tile-number">{room.number}</span>
        <span className="room-tile-status">{LABEL[room.status]}</span>
      </header>
      <p className="room-tile-type muted">{room.room_type_name}</p>
      {outOfService && room.out_of_service_reason && <p className="room-tile-note">{room.out_of_service_reason}</p>}
      {room.in_house && (
        <p className="room-tile-note">
          In house{' '}
          {canOpenBookings ? <Link to={`/bookings/${room.in_house.booking_id}`}>{room.in_house.reference}</Link> : room.in_house.reference}
          {!room.departure_today && ` · until ${formatDay(room.in_house.check_out)}`}
        </p>
      )}
      {room.departure_today && <p className="room-tile-note">Due out today</p>}
      {room.arrival && (
        <p className={`room-tile-note ${room.arrival.ready ? 'arrival-ready' : 'arrival-waiting'}`}>
          Arrival{' '}
          {canOpenBookings ? <Link to={`/bookings/${room.arrival.booking_id}`}>{room.arrival.reference}</Link> : room.arrival.reference}
          {' · '}{room.arrival.ready ? 'room ready' : 'not ready'}
        </p>
      )}
      {room.changed_at && (
        <p className="room-tile-changed muted">
          {room.changed_by_name ?? 'Changed'} · {formatTime(room.changed_at)}
        </p>
      )}
      <div className="room-tile-actions">
        {canClean && room.housekeeping === 'dirty' && (
          <Button small busy={act.pending} onClick={() => void act.run(() => api.rooms.markClean(room.room_id))}>
            Cleaned
          </Button>
        )}
        {canManage && outOfService && (
          <Button variant="secondary" small busy={act.pending} onClick={() => void act.run(() => api.rooms.returnToService(room.room_id))}>
            Back in service
          </Button>
        )}
        {canManage && room.status !== 'occupied' && !outOfService && !closing && (
          <Button variant="ghost" small onClick={() => setClosing(true)}>
            Out of service
          </Button>
        )}
      </div>
      {closing && (
        <form
          className="room-tile-form"
          onSubmit={(e) => {
            e.preventDefault()
            void act.run(() => api.rooms.takeOutOfService(room.room_id, reason))
          }}
        >
          <Field label="Reason" error={act.fieldErrors.reason}>
            <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={500} />
          </Field>
          <div className="button-row">
            <Button variant="danger" small type="submit" busy={act.pending}>
              Take out of service
            </Button>
            <Button variant="ghost" small type="button" onClick={() => setClosing(false)}>
              Keep
            </Button>
          </div>
        </form>
      )}
      {act.error ? <ErrorMessage error={act.error} /> : null}
    </article>
  )
}

/** Every room at a glance, for the desk, housekeeping and managers; it follows live updates. */
export function RoomStatusPage() {
  const { user } = useAuth()
  const board = useRoomBoard()
  const [only, setOnly] = useState<BoardStatus | ''>('')
  const rooms = board.data ?? []
  const counts = Object.fromEntries(ORDER.map((s) => [s, rooms.filter((r) => r.status === s).length]))
  const shown = only ? rooms.filter((r) => r.status === only) : rooms
  const canClean = user ? mayCleanRooms(user) : false
  const canManage = user ? isManagement(user) : false
  const canOpenBookings = user ? canSee(user, 'booking-page') : false
  return (
    <>
      <PageHeader title="Room status" />
      <div className="status-filter" role="group" aria-label="Show rooms">
        <button type="button" className={`chip${only === '' ? ' chip-on' : ''}`} aria-pressed={only === ''} onClick={() => setOnly('')}>
          All <span className="count">{rooms.length}</span>
        </button>
        {ORDER.map((status) => (
          <button
            key={status}
            type="button"
            className={`chip chip-${status}${only === status ? ' chip-on' : ''}`}
            aria-pressed={only === status}
            onClick={() => setOnly(only === status ? '' : status)}
          >
            {LABEL[status]} <span className="count">{counts[status]}</span>
          </button>
        ))}
      </div>
      <ErrorMessage error={board.error} onRetry={board.reload} />
      {board.loading && !board.data && <Loading />}
      {board.data && shown.length === 0 && <EmptyState title={only ? `No ${LABEL[only].toLowerCase()} rooms.` : 'No rooms yet.'} />}
      <div className="room-grid">
        {shown.map((room) => (
          <RoomTile key={room.room_id} room={room} canClean={canClean} canManage={canManage} canOpenBookings={canOpenBookings} />
        ))}
      </div>
    </>
  )
}
