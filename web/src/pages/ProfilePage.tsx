import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { api } from '../api'
import { GuestPreferencesForm } from '../components/GuestPreferencesForm'
import { ImageUpload, type Photo } from '../components/ImageUpload'
import { Button, ErrorMessage, Field, Notice, PageHeader } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useAuth, useUser } from '../hooks/useAuth'
import { useGuestProfile } from '../hooks/useHotel'

/** One's own account: the name the hotel uses and the picture staff see beside it. */
export function ProfilePage() {
  const user = useUser()
  const { updated } = useAuth()
  const [name, setName] = useState(user.full_name)
  const [photos, setPhotos] = useState<Photo[]>(
    user.avatar ? [{ upload_id: user.avatar.upload_id, url: user.avatar.medium_url }] : [],
  )
  const [saved, setSaved] = useState(false)
  const save = useAction(async () => {
    const changed = await api.auth.updateProfile({
      full_name: name.trim(),
      avatar_upload_id: photos[0]?.upload_id ?? null,
    })
    updated(changed)
    setSaved(true)
  })

  function submit(event: FormEvent) {
    event.preventDefault()
    setSaved(false)
    if (!name.trim()) return
    void save.run()
  }

  return (
    <>
      <PageHeader title="Your profile" />
      <form className="card form-card profile-form" onSubmit={submit} noValidate>
        <ErrorMessage error={save.error} />
        {saved && <Notice>Your profile is saved.</Notice>}
        <ImageUpload
          purpose="avatar"
          label="Profile picture"
          photos={photos}
          multiple={false}
          onChange={(next) => {
            setSaved(false)
            setPhotos(next)
          }}
        />
        <Field
          label="Name"
          error={!name.trim() ? 'Please enter your name.' : save.fieldErrors.full_name}
        >
          <input
            value={name}
            maxLength={200}
            autoComplete="name"
            onChange={(e) => {
              setSaved(false)
              setName(e.target.value)
            }}
          />
        </Field>
        <Field label="Email" hint="The address you sign in with.">
          <input value={user.email} readOnly />
        </Field>
        <p className="muted">
          Language, quiet hours and how news reaches you are in your{' '}
          <Link to="/notifications/preferences">notification settings</Link>.
        </p>
        <div className="button-row">
          <Button type="submit" busy={save.pending} disabled={!name.trim()}>
            Save profile
          </Button>
        </div>
      </form>
      {user.role === 'guest' && <MyPreferences guestId={user.id} />}
    </>
  )
}

/** What the guest likes, so the hotel has it ready before they arrive. */
function MyPreferences({ guestId }: { guestId: number }) {
  const profile = useGuestProfile(guestId)
  return (
    <section className="card form-card profile-preferences" aria-labelledby="my-prefs-title">
      <h2 id="my-prefs-title" className="section-title">Your preferences</h2>
      <p className="muted">The hotel prepares your room and meals with these in mind.</p>
      <ErrorMessage error={profile.error} onRetry={profile.reload} />
      {profile.data && <GuestPreferencesForm guestId={guestId} saved={profile.data.preferences} own />}
    </section>
  )
}
