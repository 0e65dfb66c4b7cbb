import { useState } from 'react'
import { api } from '../api'
import type { Review } from '../api/types'
import { Button, EmptyState, ErrorMessage, Field, Loading, PageHeader, Pagination } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useResource } from '../hooks/useResource'
import { formatDateTime } from '../lib/dates'
import { invalidate } from '../lib/invalidation'

const LIMIT = 20
/** As the API allows (ReviewReply.reply). */
const REPLY_MAX = 2000

/** What guests say about their stays, newest first, and the hotel's answers to them. */
export function ManageReviewsPage() {
  const [rating, setRating] = useState<number | ''>('')
  const [offset, setOffset] = useState(0)
  const reviews = useResource(
    (signal) => api.reviews.list({ limit: LIMIT, offset, rating: rating || undefined }, signal),
    `manage-reviews-${rating}-${offset}`,
    ['reviews'],
  )
  const page = reviews.data
  return (
    <>
      <PageHeader title="Reviews" />
      <div className="card filters">
        <Field label="Rating">
          <select
            value={rating}
            onChange={(e) => {
              setRating(e.target.value ? Number(e.target.value) : '')
              setOffset(0)
            }}
          >
            <option value="">Any</option>
            {[5, 4, 3, 2, 1].map((stars) => (
              <option key={stars} value={stars}>
                {stars} {stars === 1 ? 'star' : 'stars'}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorMessage error={reviews.error} onRetry={reviews.reload} />
      {reviews.loading && !page && <Loading />}
      {page && page.items.length === 0 && <EmptyState title="No reviews yet." />}
      {page && page.items.length > 0 && (
        <div className="card-list">
          {page.items.map((review) => (
            <ReviewCard key={review.id} review={review} />
          ))}
        </div>
      )}
      {page && <Pagination total={page.total} limit={page.limit} offset={page.offset} onChange={setOffset} />}
    </>
  )
}

function ReviewCard({ review }: { review: Review }) {
  const [draft, setDraft] = useState<string | null>(null)
  const save = useAction(async (text: string) => {
    await api.reviews.reply(review.id, text)
    setDraft(null)
    invalidate('reviews')
  })
  const editing = draft !== null
  return (
    <article className="card review-card" data-testid="review">
      <header className="review-head">
        <strong>{review.guest_name}</strong>
        <span className="stars-shown" aria-label={`${review.rating} of 5 stars`}>
          {'★'.repeat(review.rating)}
          <span className="stars-off">{'★'.repeat(5 - review.rating)}</span>
        </span>
        <span className="muted">{formatDateTime(review.created_at)}</span>
      </header>
      {review.comment ? <p className="review-comment">{review.comment}</p> : <p className="muted">No comment.</p>}
      {(review.photos ?? []).length > 0 && (
        <div className="review-thanks">
          {(review.photos ?? []).map((photo, index) => (
            <a key={photo.upload_id} href={photo.large_url} target="_blank" rel="noreferrer">
              <img className="review-photo" src={photo.thumbnail_url} alt={`Guest photo ${index + 1}`} loading="lazy" />
            </a>
          ))}
        </div>
      )}
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void save.run(draft.trim())
          }}
        >
          <ErrorMessage error={save.error} />
          <Field label="The hotel's answer" hint="The guest sees it under their review and is told.">
            <textarea rows={3} maxLength={REPLY_MAX} value={draft} onChange={(e) => setDraft(e.target.value)} />
          </Field>
          <div className="button-row">
            <Button type="submit" small busy={save.pending} disabled={!draft.trim()}>
              Publish answer
            </Button>
            <Button variant="ghost" small onClick={() => setDraft(null)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : review.reply ? (
        <div className="review-reply">
          <span className="field-label">The hotel's answer</span>
          <p>{review.reply}</p>
          <div className="button-row">
            <Button variant="secondary" small onClick={() => setDraft(review.reply ?? '')}>
              Edit answer
            </Button>
            <Button variant="ghost" small busy={save.pending} onClick={() => void save.run('')}>
              Take it back
            </Button>
          </div>
        </div>
      ) : (
        <Button variant="secondary" small onClick={() => setDraft('')}>
          Answer
        </Button>
      )}
    </article>
  )
}
