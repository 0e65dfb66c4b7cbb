import { useState } from 'react'
import { api } from '../api'
import { SERVICE_KIND_LABELS, SERVICE_KINDS, SERVICE_STATUS_LABELS, SERVICE_STATUSES, type ServiceKind, type ServiceRequest, type ServiceStatus } from '../api/types'
import { ServiceRequestCard } from '../components/ServiceRequestCard'
import { Button, EmptyState, ErrorMessage, Field, Loading, PageHeader, Pagination } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useUser } from '../hooks/useAuth'
import { useServiceRequests } from '../hooks/useHotel'
import { invalidate } from '../lib/invalidation'

const LIMIT = 20
const NEXT_STATUS: Partial<Record<ServiceStatus, { status: ServiceStatus; label: string }>> = {
  assigned: { status: 'in_progress', label: 'Start' },
  in_progress: { status: 'done', label: 'Mark done' },
}
/** The moves the API allows from each status (service_requests.service.NEXT_STATUSES). */
const ALLOWED: Record<ServiceStatus, ServiceStatus[]> = {
  open: ['cancelled'],
  assigned: ['in_progress', 'done', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  done: [],
  cancelled: [],
}

export function ServiceDeskPage() {
  const user = useUser()
  const [status, setStatus] = useState<ServiceStatus | ''>('')
  const [kind, setKind] = useState<ServiceKind | ''>('')
  const [mine, setMine] = useState(false)
  const [offset, setOffset] = useState(0)
  const requests = useServiceRequests({ status, kind, assignee_id: mine ? user.id : undefined, limit: LIMIT, offset })
  const act = useAction(async (work: Promise<unknown>) => {
    await work
    invalidate('service-requests')
  })

  function actions(request: ServiceRequest) {
    const closed = request.status === 'done' || request.status === 'cancelled'
    if (closed) return null
    const next = NEXT_STATUS[request.status]
    return (
      <>
        {request.assignee_id !== user.id && (
          <Button small onClick={() => void act.run(api.serviceRequests.assign(request.id, user.id))}>
            Assign to me
          </Button>
        )}
        {next && (
          <Button small variant="secondary" onClick={() => void act.run(api.serviceRequests.setStatus(request.id, next.status))}>
            {next.label}
          </Button>
        )}
        {ALLOWED[request.status].length > 0 && (
          <select
            aria-label={`Change the status of request ${request.id}`}
            value=""
            onChange={(e) => e.target.value && void act.run(api.serviceRequests.setStatus(request.id, e.target.value as ServiceStatus))}
          >
            <option value="" disabled>
              Move to…
            </option>
            {ALLOWED[request.status].map((s) => (
              <option key={s} value={s}>
                {SERVICE_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        )}
      </>
    )
  }

  const page = requests.data
  return (
    <>
      <PageHeader title="Service requests" />
      <div className="card filters">
        <Field label="Status">
          <select value={status} onChange={(e) => { setStatus(e.target.value as ServiceStatus | ''); setOffset(0) }}>
            <option value="">Any</option>
            {SERVICE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {SERVICE_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Kind">
          <select value={kind} onChange={(e) => { setKind(e.target.value as ServiceKind | ''); setOffset(0) }}>
            <option value="">Any</option>
            {SERVICE_KINDS.map((k) => (
              <option key={k} value={k}>
                {SERVICE_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={mine} onChange={(e) => { setMine(e.target.checked); setOffset(0) }} />
          Only mine
        </label>
      </div>
      <ErrorMessage error={act.error} />
      <ErrorMessage error={requests.error} onRetry={requests.reload} />
      {requests.loading && !page && <Loading />}
      {page && page.items.length === 0 && <EmptyState title="No service requests match." />}
      <div className="card-list">
        {page?.items.map((request) => (
          <ServiceRequestCard key={request.id} request={request} actions={actions(request)} headingLevel={2} />
        ))}
      </div>
      {page && <Pagination total={page.total} limit={page.limit} offset={page.offset} onChange={setOffset} />}
    </>
  )
}
