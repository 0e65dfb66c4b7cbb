import { useEffect, useState } from 'react'
import { api } from '../api'
import type { NotificationPreferences } from '../api/types'
import { Button, ErrorMessage, Field, Loading, Notice, PageHeader } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useNotificationPreferences } from '../hooks/useHotel'
import { invalidate } from '../lib/invalidation'
import { disablePush, enablePush, pushState, type PushState } from '../lib/push'
import { setSound, soundOn } from '../lib/sound'

const CHANNELS: [string, string][] = [
  ['in_app', 'In app'],
  ['email', 'Email'],
  ['sms', 'SMS'],
  ['push', 'Push'],
]
const PUSH_WORDS: Record<PushState, string> = {
  unsupported: 'This browser cannot receive push notifications.',
  denied: 'Notifications are blocked for this site in the browser settings.',
  off: 'Off on this device.',
  on: 'On for this device.',
}

/** Which news reaches you how (category × channel), quiet hours, language, and this
 *  device's own choices: push notifications and the sound of live news. */
export function NotificationPreferencesPage() {
  const prefs = useNotificationPreferences()
  const [draft, setDraft] = useState<NotificationPreferences | null>(null)
  const [push, setPush] = useState<PushState>(pushState())
  const [sound, setSoundState] = useState(soundOn())
  const [saved, setSaved] = useState(false)
  const save = useAction((body: NotificationPreferences) =>
    api.notifications.savePreferences({
      channels: body.channels,
      quiet_hours_start: body.quiet_hours_start || null,
      quiet_hours_end: body.quiet_hours_end || null,
      locale: body.locale || null,
    }),
  )
  const togglePush = useAction(() => (push === 'on' ? disablePush(api) : enablePush(api)))

  useEffect(() => {
    if (prefs.data && !draft) setDraft(prefs.data)
  }, [prefs.data, draft])

  if (!draft) {
    return (
      <section className="page">
        <PageHeader title="Notification preferences" />
        <ErrorMessage error={prefs.error} onRetry={prefs.reload} />
        {prefs.loading && <Loading />}
      </section>
    )
  }
  const setSwitch = (category: string, channel: string, on: boolean) => {
    setSaved(false)
    setDraft({ ...draft, channels: { ...draft.channels, [category]: { ...draft.channels[category], [channel]: on } } })
  }
  return (
    <section className="page">
      <PageHeader title="Notification preferences" />
      <ErrorMessage error={save.error ?? togglePush.error} />
      {saved && <Notice>Your preferences are saved.</Notice>}
      <div className="card prefs-card">
        <h2>What reaches you, and how</h2>
        <div className="table-scroll">
          <table className="prefs-table">
            <thead>
              <tr>
                <th scope="col">Category</th>
                {CHANNELS.map(([key, label]) => (
                  <th key={key} scope="col">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Object.entries(draft.channels).map(([category, switches]) => (
                <tr key={category}>
                  <th scope="row">{category.replace(/_/g, ' ')}</th>
                  {CHANNELS.map(([key, label]) => (
                    <td key={key}>
                      <input
                        type="checkbox"
                        aria-label={`${category}: ${label}`}
                        checked={Boolean(switches[key])}
                        onChange={(e) => setSwitch(category, key, e.target.checked)}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div className="card prefs-card">
        <h2>Quiet hours and language</h2>
        <div className="form-row">
          <Field label="Quiet from" hint="Hotel time; urgent news still comes." error={save.fieldErrors.quiet_hours_start}>
            <input
              type="time"
              value={draft.quiet_hours_start ?? ''}
              onChange={(e) => setDraft({ ...draft, quiet_hours_start: e.target.value || null })}
            />
          </Field>
          <Field label="Quiet until" error={save.fieldErrors.quiet_hours_end}>
            <input
              type="time"
              value={draft.quiet_hours_end ?? ''}
              onChange={(e) => setDraft({ ...draft, quiet_hours_end: e.target.value || null })}
            />
          </Field>
          <Field label="Language">
            <select value={draft.locale ?? ''} onChange={(e) => setDraft({ ...draft, locale: e.target.value || null })}>
              <option value="">As my account</option>
              <option value="en">English</option>
              <option value="sw">Kiswahili</option>
            </select>
          </Field>
        </div>
        <Button
          busy={save.pending}
          onClick={() =>
            void save.run(draft).then((r) => {
              if (r) {
                setDraft(r)
                setSaved(true)
                invalidate('notifications')
              }
            })
          }
        >
          Save preferences
        </Button>
      </div>
      <div className="card prefs-card">
        <h2>This device</h2>
        <p data-testid="push-state">Push notifications: {PUSH_WORDS[push]}</p>
        {push !== 'unsupported' && push !== 'denied' && (
          <Button
            variant="secondary"
            busy={togglePush.pending}
            onClick={() => void togglePush.run().then((state) => state && setPush(state))}
          >
            {push === 'on' ? 'Turn push off on this device' : 'Turn push on for this device'}
          </Button>
        )}
        <label className="check prefs-sound">
          <input
            type="checkbox"
            checked={sound}
            onChange={(e) => {
              setSound(e.target.checked)
              setSoundState(e.target.checked)
            }}
          />{' '}
          Play a sound when news arrives
        </label>
      </div>
    </section>
  )
}
