import { useEffect, useState, type FormEvent } from 'react'
import { api } from '../api'
import { DIETS, FLOORS, PILLOWS, type Diet, type GuestPreferences, type GuestPreferencesIn } from '../api/types'
import { useAction } from '../hooks/useAction'
import { invalidate } from '../lib/invalidation'
import { Button, ErrorMessage, Field, Notice } from './ui'

export const PILLOW_LABELS: Record<string, string> = {
  soft: 'Soft',
  firm: 'Firm',
  feather: 'Feather',
  hypoallergenic: 'Hypoallergenic',
}
export const FLOOR_LABELS: Record<string, string> = { high: 'High floor', low: 'Low floor' }
export const DIET_LABELS: Record<string, string> = {
  vegetarian: 'Vegetarian',
  vegan: 'Vegan',
  halal: 'Halal',
  kosher: 'Kosher',
  gluten_free: 'Gluten free',
  lactose_free: 'Lactose free',
}
const LANGUAGES: [string, string][] = [
  ['en', 'English'],
  ['sw', 'Kiswahili'],
  ['fr', 'Français'],
  ['de', 'Deutsch'],
  ['ar', 'العربية'],
  ['zh', '中文'],
]
const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z]{2})?$/

function draftOf(saved: GuestPreferences): GuestPreferencesIn {
  return {
    pillow: saved.pillow ?? null,
    floor: saved.floor ?? null,
    dietary: saved.dietary ?? [],
    allergies: saved.allergies ?? '',
    language: saved.language ?? null,
    other: saved.other ?? '',
  }
}

/** A guest's preferences, edited by the guest on their profile or by the desk on theirs. */
export function GuestPreferencesForm({ guestId, saved, own }: { guestId: number; saved: GuestPreferences; own: boolean }) {
  const [draft, setDraft] = useState<GuestPreferencesIn>(() => draftOf(saved))
  const [done, setDone] = useState(false)
  const savedKey = JSON.stringify(draftOf(saved))
  useEffect(() => setDraft(JSON.parse(savedKey) as GuestPreferencesIn), [savedKey])
  const save = useAction(async (data: GuestPreferencesIn) => {
    await api.guests.setPreferences(guestId, data)
    invalidate('guests')
    setDone(true)
  })
  const errors: Record<string, string> = {}
  if ((draft.allergies ?? '').length > 500) errors.allergies = 'Please keep allergies under 500 characters.'
  if ((draft.other ?? '').length > 2000) errors.other = 'Please keep this under 2,000 characters.'
  if (draft.language && !LANGUAGE_CODE.test(draft.language)) errors.language = 'Choose a language from the list.'

  function change(next: Partial<GuestPreferencesIn>) {
    setDone(false)
    setDraft((d) => ({ ...d, ...next }))
  }
  function toggle(diet: Diet, on: boolean) {
    const current = draft.dietary ?? []
    change({ dietary: on ? [...current, diet] : current.filter((d) => d !== diet) })
  }
  function submit(event: FormEvent) {
    event.preventDefault()
    if (Object.keys(errors).length) return
    void save.run({ ...draft, allergies: draft.allergies?.trim(), other: draft.other?.trim() })
  }

  return (
    <form className="preferences-form" onSubmit={submit} noValidate aria-label="Preferences">
      <ErrorMessage error={save.error} />
      {done && <Notice>{own ? 'Your preferences are saved.' : 'Preferences saved.'}</Notice>}
      <div className="preferences-grid">
        <Field label="Pillow" error={save.fieldErrors.pillow}>
          <select name="pillow" value={draft.pillow ?? ''} onChange={(e) => change({ pillow: (e.target.value || null) as GuestPreferencesIn['pillow'] })}>
            <option value="">No preference</option>
            {PILLOWS.map((p) => <option key={p} value={p}>{PILLOW_LABELS[p]}</option>)}
          </select>
        </Field>
        <Field label="Floor" error={save.fieldErrors.floor}>
          <select name="floor" value={draft.floor ?? ''} onChange={(e) => change({ floor: (e.target.value || null) as GuestPreferencesIn['floor'] })}>
            <option value="">No preference</option>
            {FLOORS.map((f) => <option key={f} value={f}>{FLOOR_LABELS[f]}</option>)}
          </select>
        </Field>
        <Field label="Language spoken" error={errors.language ?? save.fieldErrors.language}>
          <select name="language" value={draft.language ?? ''} onChange={(e) => change({ language: e.target.value || null })}>
            <option value="">No preference</option>
            {LANGUAGES.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
          </select>
        </Field>
      </div>
      <fieldset className="diet-choices">
        <legend className="field-label">Dietary needs</legend>
        {DIETS.map((diet) => (
          <label key={diet} className="checkbox">
            <input type="checkbox" name="dietary" value={diet} checked={(draft.dietary ?? []).includes(diet)}
              onChange={(e) => toggle(diet, e.target.checked)} />
            {DIET_LABELS[diet]}
          </label>
        ))}
      </fieldset>
      <Field label="Allergies" hint="For example: peanuts, shellfish, penicillin" error={errors.allergies ?? save.fieldErrors.allergies}>
        <input name="allergies" value={draft.allergies ?? ''} maxLength={500} onChange={(e) => change({ allergies: e.target.value })} />
      </Field>
      <Field label="Anything else" error={errors.other ?? save.fieldErrors.other}>
        <textarea name="other" rows={3} value={draft.other ?? ''} maxLength={2000} onChange={(e) => change({ other: e.target.value })} />
      </Field>
      <div className="button-row">
        <Button type="submit" busy={save.pending} disabled={Object.keys(errors).length > 0}>
          Save preferences
        </Button>
      </div>
    </form>
  )
}

/** The preferences in a line or two, for where they are read rather than edited. */
export function preferencesSummary(p: GuestPreferences): string[] {
  const parts: string[] = []
  if (p.pillow) parts.push(`${PILLOW_LABELS[p.pillow]} pillow`)
  if (p.floor) parts.push(FLOOR_LABELS[p.floor])
  for (const d of p.dietary ?? []) parts.push(DIET_LABELS[d])
  if (p.allergies) parts.push(`Allergies: ${p.allergies}`)
  if (p.language) parts.push(`Speaks ${LANGUAGES.find(([c]) => c === p.language)?.[1] ?? p.language}`)
  if (p.other) parts.push(p.other)
  return parts
}
