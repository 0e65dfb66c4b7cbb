import { api } from '../api'
import { useAction } from '../hooks/useAction'
import { useResource } from '../hooks/useResource'
import { invalidate } from '../lib/invalidation'
import { Button } from './ui'

/** Emergency announcements sent to you, above every page until you acknowledge each one.
 *  A new one appears live (its notification reloads this list). */
export function EmergencyBanner() {
  const emergencies = useResource((signal) => api.announcements.emergencies(signal), 'emergencies', [
    'notifications',
  ])
  const acknowledge = useAction((id: number) => api.announcements.acknowledge(id))
  const items = emergencies.data ?? []
  if (items.length === 0) return null
  return (
    <div className="emergency-banners">
      {items.map((a) => (
        <section key={a.id} className="emergency-banner" role="alert" aria-label="Emergency announcement" data-testid="emergency-banner">
          <div>
            <strong>{a.title}</strong>
            <p>{a.body}</p>
          </div>
          <Button
            variant="secondary"
            busy={acknowledge.pending}
            onClick={() => void acknowledge.run(a.id).then((r) => r && invalidate('notifications'))}
          >
            I have read this
          </Button>
        </section>
      ))}
    </div>
  )
}
