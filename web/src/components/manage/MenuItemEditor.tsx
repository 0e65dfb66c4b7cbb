import { useState, type FormEvent } from 'react'
import { api } from '../../api'
import type { MenuItem } from '../../api/types'
import { useAction } from '../../hooks/useAction'
import { fieldErrors, formError } from '../../lib/formErrors'
import { invalidate } from '../../lib/invalidation'
import { currencyOf, toMajorUnits } from '../../lib/money'
import { amount, SENTENCES, type Errors } from '../../lib/validate'
import { ImageUpload, type Photo } from '../ImageUpload'
import { Button, Field } from '../ui'

interface Props {
  item?: MenuItem
  categories: string[]
  currency: string
  onDone: (saved: MenuItem | null) => void
}

/** Create or change a dish: name, category, price, availability and its photo. */
export function MenuItemEditor({ item, categories, currency: defaultCurrency, onDone }: Props) {
  const currency = item?.currency ?? defaultCurrency
  const [form, setForm] = useState({
    name: item?.name ?? '',
    category: item?.category ?? '',
    description: item?.description ?? '',
    price: item ? toMajorUnits(item.price, item.currency) : '',
    is_available: item?.is_available ?? true,
  })
  const initial: Photo[] = item?.photo ? [{ upload_id: item.photo.upload_id, url: item.photo.medium_url }] : []
  const [photos, setPhotos] = useState<Photo[]>(initial)
  const [checked, setChecked] = useState<Errors>({})
  const save = useAction(async () => {
    const photo = photos[0]?.upload_id ?? null
    const body = {
      name: form.name.trim(),
      category: form.category.trim(),
      description: form.description.trim(),
      price: amount(form.price, currency) ?? 0,
      is_available: form.is_available,
    }
    if (item) {
      const changedPhoto = photo !== (item.photo?.upload_id ?? null)
      return api.menu.update(item.id, changedPhoto ? { ...body, photo_upload_id: photo } : body)
    }
    return api.menu.create({ ...body, currency: currencyOf(currency), ...(photo ? { photo_upload_id: photo } : {}) })
  })

  function validate(): Errors {
    const errors: Errors = {}
    if (!form.name.trim() || form.name.trim().length > 120) errors.name = SENTENCES.name
    if (!form.category.trim() || form.category.trim().length > 60) errors.category = SENTENCES.category
    if (form.description.length > 2000) errors.description = 'Keep the description under 2,000 characters.'
    if (amount(form.price, currency) === null) errors.price = SENTENCES.price
    return errors
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    const errors = validate()
    setChecked(errors)
    if (Object.keys(errors).length) return
    const saved = await save.run()
    if (saved) {
      invalidate('menu')
      onDone(saved)
    }
  }

  const fromApi = fieldErrors(save.error, SENTENCES)
  const errors = { ...fromApi, ...checked }
  const general = formError(save.error, fromApi)
  const set = (name: keyof typeof form) => (value: string | boolean) => {
    setForm((f) => ({ ...f, [name]: value }))
    setChecked((c) => ({ ...c, [name]: '' }))
  }

  return (
    <form className="card manage-form" onSubmit={submit} noValidate aria-label={item ? `Edit ${item.name}` : 'New dish'}>
      <h3>{item ? `Edit ${item.name}` : 'New dish'}</h3>
      {general && (
        <div className="alert alert-error" role="alert">
          {general}
        </div>
      )}
      <div className="form-grid">
        <Field label="Dish" error={errors.name || undefined}>
          <input name="name" value={form.name} onChange={(e) => set('name')(e.target.value)} />
        </Field>
        <Field label="Category" error={errors.category || undefined} hint="Pick one or type a new one">
          <input name="category" list="menu-categories" value={form.category}
            onChange={(e) => set('category')(e.target.value)} />
          <datalist id="menu-categories">
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </Field>
        <Field label={`Price (${currency})`} error={errors.price || undefined}>
          <input name="price" inputMode="decimal" value={form.price} placeholder="450.00"
            onChange={(e) => set('price')(e.target.value)} />
        </Field>
      </div>
      <Field label="Description" error={errors.description || undefined}>
        <textarea name="description" rows={2} value={form.description} onChange={(e) => set('description')(e.target.value)} />
      </Field>
      <label className="check">
        <input type="checkbox" name="is_available" checked={form.is_available}
          onChange={(e) => set('is_available')(e.target.checked)} />
        Available today (guests can order it)
      </label>
      <ImageUpload purpose="menu_item" label="Photo" multiple={false} photos={photos} onChange={setPhotos} />
      {errors.photo_upload_id && <span className="field-error">{errors.photo_upload_id}</span>}
      <div className="button-row">
        <Button type="submit" busy={save.pending}>
          {save.pending ? 'Saving…' : item ? 'Save dish' : 'Add dish'}
        </Button>
        <Button variant="ghost" onClick={() => onDone(null)}>
          Close
        </Button>
      </div>
    </form>
  )
}
