import type { ReactNode } from 'react'
import type { ServiceRequest } from '../api/types'
import { formatDateTime } from '../lib/dates'
import { StatusBadge } from './ui'

export function ServiceRequestCard({ request, actions }: { request: ServiceRequest; actions?: ReactNode }) {
  return (
    <article className="card request-card" data-testid="service-request">
      <header className="booking-head">
        <div>
          <span className="booking-reference">
            #{request.id} · {formatDateTime(request.created_at)}
          </span>
          <h3>
            <span className="kind">{request.kind}</span>
            {request.room_number && <span className="muted"> · room {request.room_number}</span>}
          </h3>
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
