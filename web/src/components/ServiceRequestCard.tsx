import type { ReactNode } from 'react'
import type { ServiceRequest } from '../api/types'
import { formatDateTime } from '../lib/dates'
import { StatusBadge } from './ui'

interface Props {
  request: ServiceRequest
  actions?: ReactNode
  /** The card's heading level: 2 where the cards sit right under the page's title. */
  headingLevel?: 2 | 3
}

export function ServiceRequestCard({ request, actions, headingLevel = 3 }: Props) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  return (
    <article className="card request-card" data-testid="service-request">
      <header className="booking-head">
        <div>
          <span className="booking-reference">
            #{request.id} · {formatDateTime(request.created_at)}
          </span>
          <Heading>
            <span className="kind">{request.kind}</span>
            {request.room_number && <span className="muted"> · room {request.room_number}</span>}
          </Heading>
        </div>
        <div className="badges">
          {request.priority !== 'normal' && <span className={`badge badge-priority-${request.priority}`}>{request.priority}</span>}
          <StatusBadge status={request.status} />
        </div>
      </header>
      <p>{request.description}</p>
      <p className="muted small">
        {request.guest_name && <>From {request.guest_name}. </>}
        {request.assignee_id ? <>Assigned to {request.assignee_name ?? `staff #${request.assignee_id}`}.</> : 'Not assigned yet.'}
      </p>
      {actions && <div className="button-row">{actions}</div>}
    </article>
  )
}
