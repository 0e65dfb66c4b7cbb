import { useState } from 'react'
import type { RoomType } from '../api/types'

/** A room type's photos as guests see them: the chosen one large, the others as thumbnails.
 * Uploaded gallery photos come first; addresses typed before galleries existed after. */
export function RoomGallery({ type }: { type: RoomType }) {
  const photos = [
    ...(type.gallery ?? []).map((p) => ({ key: `u${p.upload_id}`, large: p.medium_url, thumb: p.thumbnail_url })),
    ...type.image_urls.map((url) => ({ key: url, large: url, thumb: url })),
  ]
  const [shown, setShown] = useState(0)
  if (photos.length === 0) {
    return (
      <div className="room-image room-image-placeholder" aria-hidden="true">
        {type.name.slice(0, 1)}
      </div>
    )
  }
  const current = photos[Math.min(shown, photos.length - 1)]
  return (
    <div className="room-gallery" data-testid="room-gallery">
      <img className="room-image" src={current.large} alt={`${type.name}, photo ${shown + 1} of ${photos.length}`} loading="lazy" />
      {photos.length > 1 && (
        <div className="room-thumbs" role="group" aria-label={`${type.name} photos`}>
          {photos.map((photo, index) => (
            <button
              key={photo.key}
              type="button"
              className={index === shown ? 'room-thumb active' : 'room-thumb'}
              aria-label={`Show photo ${index + 1}`}
              aria-pressed={index === shown}
              onClick={() => setShown(index)}
            >
              <img src={photo.thumb} alt="" loading="lazy" />
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
