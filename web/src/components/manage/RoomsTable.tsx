import { useState, type FormEvent } from 'react'
import { api } from '../../api'
import type { Room, RoomType } from '../../api/types'
import { useAction } from '../../hooks/useAction'
import { fieldErrors, formError } from '../../lib/formErrors'
import { invalidate } from '../../lib/invalidation'
import { intIn, ROOM_NUMBER, SENTENCES, type Errors } from '../../lib/validate'
import { Button, EmptyState, Field, StatusBadge } from '../ui'

interface Props {
  rooms: Room[]
  types: RoomType[]
}

/** The hotel's rooms: add one, move it to another type or floor, take it out of service. */
export function RoomsTable({ rooms, types }: Props) {
  const typeName = new Map(types.map((t) => [t.id, t.name]))
  const [form, setForm] = useState({ number: '', floor: '1', room_type_id: '' })
  const [checked, setChecked] = useState<Errors>({})
  const create = useAction(api.rooms.create)
  const update = useAction(async (room: Room, change: Parameters<typeof api.rooms.update>[1]) => {
    const saved = await api.rooms.update(room.id, change)
    invalidate('rooms', 'availability')
    return saved
  })

  async function submit(event: FormEvent) {
    event.preventDefault()
    const errors: Errors = {}
    if (!ROOM_NUMBER.test(form.number.trim())) errors.number = SENTENCES.number
    if (intIn(form.floor, -5, 200) === null) errors.floor = SENTENCES.floor
    if (!form.room_type_id) errors.room_type_id = SENTENCES.room_type_id
    setChecked(errors)
    if (Object.keys(errors).length) return
    const room = await create.run({
      number: form.number.trim(),
      floor: Number(form.floor),
      room_type_id: Number(form.room_type_id),
    })
    if (room) {
      setForm((f) => ({ ...f, number: '' }))
      invalidate('rooms', 'availability')
    }
  }

  const fromApi = fieldErrors(create.error, SENTENCES)
  const errors = { ...fromApi, ...checked }
  const general = formError(create.error, fromApi)
  const updateError = formError(update.error, {})

  return (
    <>
      {updateError && (
        <div className="alert alert-error" role="alert">
          {updateError}
        </div>
      )}
      {rooms.length === 0 ? (
        <EmptyState title="No rooms yet.">Add the first one below.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table rooms-table">
            <thead>
              <tr>
                <th>Room</th>
                <th>Floor</th>
                <th>Type</th>
                <th>Status</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rooms.map((room) => (
                <tr key={room.id} data-testid="room-row">
                  <td>
                    <strong>{room.number}</strong>
                  </td>
                  <td>
                    <span className="cell-label">Floor </span>
                    {room.floor}
                  </td>
                  <td>
                    <select
                      aria-label={`Type of room ${room.number}`}
                      value={room.room_type_id}
                      onChange={(e) => void update.run(room, { room_type_id: Number(e.target.value) })}
                    >
                      {types.map((t) => (
                        <option key={t.id} value={t.id}>
                          {typeName.get(t.id)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <StatusBadge status={room.status} />
                  </td>
                  <td className="actions">
                    <Button
                      small
                      variant={room.status === 'in_service' ? 'secondary' : 'primary'}
                      onClick={() =>
                        void update.run(room, {
                          status: room.status === 'in_service' ? 'out_of_service' : 'in_service',
                        })
                      }
                    >
                      {room.status === 'in_service' ? 'Take out of service' : 'Back in service'}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="card manage-form" onSubmit={submit} noValidate aria-label="Add a room">
        <h3>Add a room</h3>
        {general && (
          <div className="alert alert-error" role="alert">
            {general}
          </div>
        )}
        <div className="form-grid">
          <Field label="Room number" error={errors.number}>
            <input name="number" value={form.number} onChange={(e) => {
              setForm((f) => ({ ...f, number: e.target.value }))
              setChecked((c) => ({ ...c, number: '' }))
            }} />
          </Field>
          <Field label="Floor" error={errors.floor || undefined}>
            <input name="floor" type="number" min={-5} max={200} value={form.floor}
              onChange={(e) => setForm((f) => ({ ...f, floor: e.target.value }))} />
          </Field>
          <Field label="Room type" error={errors.room_type_id || undefined}>
            <select name="room_type_id" value={form.room_type_id}
              onChange={(e) => setForm((f) => ({ ...f, room_type_id: e.target.value }))}>
              <option value="">Choose…</option>
              {types.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Button type="submit" busy={create.pending}>
          Add room
        </Button>
      </form>
    </>
  )
}
