import { useState } from 'react'
import { api } from '../api'
import type { RoomType } from '../api/types'
import { RatesPanel } from '../components/manage/RatesPanel'
import { RoomsTable } from '../components/manage/RoomsTable'
import { RoomTypeEditor } from '../components/manage/RoomTypeEditor'
import { Button, EmptyState, ErrorMessage, Loading, Money, Notice, PageHeader } from '../components/ui'
import { useResource } from '../hooks/useResource'

/** Managers keep what the hotel sells: room types with their photos and rates, and rooms. */
export function ManageRoomsPage() {
  const types = useResource((signal) => api.rooms.allTypes(signal), 'types', ['rooms'])
  const rooms = useResource((signal) => api.rooms.list(signal), 'rooms', ['rooms'])
  const [editing, setEditing] = useState<number | 'new' | null>(null)
  const [ratesOf, setRatesOf] = useState<number | null>(null)
  const [saved, setSaved] = useState<string | null>(null)

  function done(type: RoomType | null) {
    setEditing(null)
    setSaved(type ? `${type.name} is saved.` : null)
  }

  return (
    <>
      <PageHeader title="Rooms & rates">
        <Button onClick={() => { setSaved(null); setEditing('new') }}>New room type</Button>
      </PageHeader>
      {saved && <Notice>{saved}</Notice>}
      {editing === 'new' && <RoomTypeEditor onDone={done} />}
      <h2 className="section-title">Room types</h2>
      <ErrorMessage error={types.error} onRetry={types.reload} />
      {types.loading && !types.data && <Loading />}
      {types.data && types.data.length === 0 && <EmptyState title="No room types yet." />}
      <div className="card-list">
        {types.data?.map((type) =>
          editing === type.id ? (
            <RoomTypeEditor key={type.id} roomType={type} onDone={done} />
          ) : (
            <article key={type.id} className="card type-card" data-testid="room-type" aria-label={type.name}>
              <div className="type-card-main">
                {type.gallery?.[0] ? (
                  <img className="type-thumb" src={type.gallery?.[0].thumbnail_url} alt="" />
                ) : (
                  <div className="type-thumb type-thumb-empty" aria-hidden="true">
                    {type.name.slice(0, 1)}
                  </div>
                )}
                <div className="type-card-text">
                  <h3>
                    {type.name} <span className="muted small mono">{type.code}</span>
                  </h3>
                  <span className="muted small">
                    Sleeps {type.capacity} · <Money amount={type.base_rate} currency={type.currency} /> a night ·{' '}
                    {type.gallery?.length ?? 0} photo{type.gallery?.length === 1 ? '' : 's'}
                  </span>
                  {!type.is_active && <span className="badge badge-cancelled">not on sale</span>}
                </div>
                <div className="button-row">
                  <Button small variant="secondary" onClick={() => { setSaved(null); setEditing(type.id) }}>
                    Edit
                  </Button>
                  <Button small variant="ghost" onClick={() => setRatesOf(ratesOf === type.id ? null : type.id)}
                    aria-expanded={ratesOf === type.id}>
                    {ratesOf === type.id ? 'Hide rates' : 'Rates'}
                  </Button>
                </div>
              </div>
              {ratesOf === type.id && <RatesPanel roomType={type} />}
            </article>
          ),
        )}
      </div>
      <h2 className="section-title">Rooms</h2>
      <ErrorMessage error={rooms.error} onRetry={rooms.reload} />
      {rooms.loading && !rooms.data && <Loading />}
      {rooms.data && types.data && <RoomsTable rooms={rooms.data} types={types.data} />}
    </>
  )
}
