import { useState, type FormEvent } from 'react'
import { api } from '../api'
import { useCreate } from '../hooks/useAction'
import { invalidate } from '../lib/invalidation'
import { ImageUpload, type Photo } from './ImageUpload'
import { Button, ErrorMessage, Field } from './ui'

/** As the API allows (ReviewCreate.photo_upload_ids). */
const MAX_PHOTOS = 4

export function ReviewForm({ bookingId, onDone }: { bookingId: number; onDone: () => void }) {
  const [rating, setRating] = useState(5)
  const [comment, setComment] = useState('')
  const [photos, setPhotos] = useState<Photo[]>([])
  const send = useCreate(api.reviews.create)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (await send.run({
        booking_id: bookingId,
        rating,
        comment: comment.trim(),
        photo_upload_ids: photos.map((photo) => photo.upload_id),
      })) {
      invalidate('reviews')
      onDone()
    }
  }

  return (
    <form className="review-form" onSubmit={submit}>
      <ErrorMessage error={send.error} />
      <fieldset className="stars">
        <legend>How was your stay?</legend>
        {[1, 2, 3, 4, 5].map((value) => (
          <label key={value} className={value <= rating ? 'star on' : 'star'} title={`${value} of 5`}>
            <input
              type="radio"
              name={`rating-${bookingId}`}
              value={value}
              checked={rating === value}
              onChange={() => setRating(value)}
            />
            <span aria-hidden="true">★</span>
            <span className="sr-only">{value} stars</span>
          </label>
        ))}
      </fieldset>
      {send.fieldErrors.rating && <span className="field-error">{send.fieldErrors.rating}</span>}
      <Field label="Comment" error={send.fieldErrors.comment}>
        <textarea rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
      </Field>
      <ImageUpload purpose="review" label="Photos (optional)" photos={photos} onChange={setPhotos}
        max={MAX_PHOTOS} cover={false} />
      {send.fieldErrors.photo_upload_ids && (
        <span className="field-error">{send.fieldErrors.photo_upload_ids}</span>
      )}
      <div className="button-row">
        <Button type="submit" small busy={send.pending}>
          Send review
        </Button>
        <Button variant="ghost" small onClick={onDone}>
          Not now
        </Button>
      </div>
    </form>
  )
}
