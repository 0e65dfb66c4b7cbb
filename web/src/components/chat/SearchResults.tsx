import { useEffect, useState } from 'react'
import { useMessageSearch } from '../../hooks/useMessaging'
import { formatDateTime } from '../../lib/dates'
import { EmptyState, ErrorMessage, Loading } from '../ui'

/** Messages holding every word searched for; choosing one opens its conversation. */
export function SearchResults({ query, onSelect }: { query: string; onSelect: (conversationId: number) => void }) {
  // Search once the typing pauses, not on every key.
  const [settled, setSettled] = useState(query)
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(query), 300)
    return () => window.clearTimeout(timer)
  }, [query])
  const results = useMessageSearch(settled)
  const hits = results.data?.items ?? []
  return (
    <>
      <ErrorMessage error={results.error} onRetry={results.reload} />
      {results.loading && !results.data && <Loading label="Searching…" />}
      {results.data && hits.length === 0 && <EmptyState title="No message holds those words." />}
      <ul className="conversation-list" aria-label="Search results">
        {hits.map((hit) => (
          <li key={hit.message.id}>
            <button type="button" className="conversation-row" onClick={() => onSelect(hit.message.conversation_id)}>
              <span className="conversation-top">
                <strong className="conversation-name">{hit.message.sender_name}</strong>
                {hit.message.kind === 'note' && <span className="badge">note</span>}
              </span>
              <span className="conversation-snippet">{hit.message.body}</span>
              <span className="conversation-sub">
                {hit.conversation_subject && <span>{hit.conversation_subject}</span>}
                <time dateTime={hit.message.created_at}>{formatDateTime(hit.message.created_at)}</time>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </>
  )
}
