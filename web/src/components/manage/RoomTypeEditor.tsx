import { useState, type FormEvent } from 'react'
import { api } from '../../api'
import type { RoomType } from '../../api/types'
import { useAction } from '../../hooks/useAction'
import { fieldErrors, formError } from '../../lib/formErrors'
import { invalidate } from '../../lib/invalidation'
import { currencyOf, toMajorUnits } from '../../lib/money'
import { amount, CODE, intIn, SENTENCES, splitList, type Errors } from '../../lib/validate'
import { ImageUpload, type Photo } from '../ImageUpload'
import { Button, Field, Notice } from '../ui'

const CURRENCIES = ['KES', 'UGX', 'TZS', 'RWF', 'NGN', 'GHS', 'ZAR', 'USD', 'EUR', 'GBP', 'AED', 'INR', 'JPY', 'CHF']

interface Props {
  /** Absent for a new room type. */
  roomType?: RoomType
  onDone: (saved: RoomType | null) => void
}

function photosOf(type?: RoomType): Photo[] {
  return (type?.gallery ?? []).map((p) => ({ upload_id: p.upload_id, url: p.medium_url }))
}

/** Create or change a room type: its details, then its gallery. */
export function RoomTypeEditor({ roomType, onDone }: Props) {
  const [form, setForm] = useState({
    code: roomType?.code ?? '',
    name: roomType?.name ?? '',
    description: roomType?.description ?? '',
    capacity: String(roomType?.capacity ?? 2),
    base_rate: roomType ? toMajorUnits(roomType.base_rate, roomType.currency) : '',
    currency: roomType?.currency ?? 'KES',
    amenities: (roomType?.amenities ?? []).join(', '),
    is_active: roomType?.is_active ?? true,
  })
  const [photos, setPhotos] = useState<Photo[]>(photosOf(roomType))
  const [checked, setChecked] = useState<Errors>({})
  const [saved, setSaved] = useState(false)
  const save = useAction(async () => {
    const body = {
      name: form.name.trim(),
      description: form.description.trim(),
      capacity: Number(form.capacity),
      base_rate: amount(form.base_rate, form.currency) ?? 0,
      amenities: splitList(form.amenities),
    }
    const type = roomType
      ? await api.rooms.updateType(roomType.id, { ...body, is_active: form.is_active })
      : await api.rooms.createType({ ...body, code: form.code.trim(), currency: currencyOf(form.currency) })
    const before = photosOf(roomType).map((p) => p.upload_id)
    const after = photos.map((p) => p.upload_id)
    const withGallery =
      JSON.stringify(before) === JSON.stringify(after) ? type : await api.rooms.setGallery(type.id, after)
    return withGallery
  })

  function validate(): Errors {
    const errors: Errors = {}
    if (!roomType && !CODE.test(form.code.trim())) errors.code = SENTENCES.code
    if (!form.name.trim() || form.name.trim().length > 120) errors.name = SENTENCES.name
    if (form.description.length > 4000) errors.description = SENTENCES.description
    if (intIn(form.capacity, 1, 20) === null) errors.capacity = SENTENCES.capacity
    if (amount(form.base_rate, form.currency) === null) errors.base_rate = SENTENCES.base_rate
    const amenities = splitList(form.amenities)
    if (amenities.length > 50 || amenities.some((a) => a.length > 60)) errors.amenities = SENTENCES.amenities
    return errors
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    setSaved(false)
    const errors = validate()
    setChecked(errors)
    if (Object.keys(errors).length) return
    const type = await save.run()
    if (type) {
      invalidate('rooms', 'availability')
      setSaved(true)
      onDone(type)
    }
  }

  const fromApi = fieldErrors(save.error, SENTENCES)
  const errors = { ...fromApi, ...checked }
  const general = formError(save.error, fromApi)
  const set = (name: keyof typeof form) => (value: string | boolean) => {
    setForm((f) => ({ ...f, [name]: value }))
    setChecked((c) => {
      const next = { ...c }
      delete next[name]
      return next
    })
  }

  return (
    <form className="card manage-form" onSubmit={submit} noValidate aria-label={roomType ? `Edit ${roomType.name}` : 'New room type'}>
      <h3>{roomType ? `Edit ${roomType.name}` : 'New room type'}</h3>
      {general && (
        <div className="alert alert-error" role="alert">
          {general}
        </div>
      )}
      {saved && <Notice>Saved.</Notice>}
      <div className="form-grid">
        <Field label="Name" error={errors.name}>
          <input name="name" value={form.name} maxLength={120} onChange={(e) => set('name')(e.target.value)} />
        </Field>
        <Field label="Code" error={errors.code} hint={roomType ? 'The code cannot change.' : 'Short and unique, e.g. DLX'}>
          <input name="code" value={form.code} disabled={!!roomType} onChange={(e) => set('code')(e.target.value)} />
        </Field>
        <Field label="Sleeps (guests)" error={errors.capacity}>
          <input name="capacity" type="number" min={1} max={20} value={form.capacity}
            onChange={(e) => set('capacity')(e.target.value)} />
        </Field>
        <Field label={`Base rate per night (${form.currency})`} error={errors.base_rate}>
          <input name="base_rate" inputMode="decimal" value={form.base_rate}
            onChange={(e) => set('base_rate')(e.target.value)} placeholder="8500.00" />
        </Field>
        {!roomType && (
          <Field label="Currency" error={errors.currency}>
            <select name="currency" value={form.currency} onChange={(e) => set('currency')(e.target.value)}>
              {CURRENCIES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </Field>
        )}
        <Field label="Amenities" error={errors.amenities} hint="Separated by commas: wifi, balcony, sea view">
          <input name="amenities" value={form.amenities} onChange={(e) => set('amenities')(e.target.value)} />
        </Field>
      </div>
      <Field label="Description" error={errors.description}>
        <textarea name="description" rows={3} value={form.description} onChange={(e) => set('description')(e.target.value)} />
      </Field>
      {roomType && (
        <label className="check">
          <input type="checkbox" name="is_active" checked={form.is_active} onChange={(e) => set('is_active')(e.target.checked)} />
          On sale (guests can find and book it)
        </label>
      )}
      <ImageUpload purpose="room_type" label="Gallery" photos={photos} onChange={setPhotos} />
      {errors.upload_ids && <span className="field-error">{errors.upload_ids}</span>}
      <div className="button-row">
        <Button type="submit" busy={save.pending}>
          {save.pending ? 'Saving…' : roomType ? 'Save changes' : 'Create room type'}
        </Button>
        <Button variant="ghost" onClick={() => onDone(null)}>
          Close
        </Button>
      </div>
    </form>
  )
}
