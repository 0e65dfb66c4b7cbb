import { useState, type FormEvent } from 'react'
import { api } from '../api'
import { SERVICE_KINDS, SERVICE_PRIORITIES, type ServiceKind, type ServicePriority } from '../api/types'
import { ConfirmButton } from '../components/ConfirmButton'
import { ServiceRequestCard } from '../components/ServiceRequestCard'
import { Button, EmptyState, ErrorMessage, Field, Loading, Notice, PageHeader } from '../components/ui'
import { useAction, useCreate } from '../hooks/useAction'
import { useBookings, useServiceRequests } from '../hooks/useHotel'
import { invalidate } from '../lib/invalidation'

const KIND_LABELS: Record<ServiceKind, string> = {
  housekeeping: 'Housekeeping (towels, cleaning, …)',
  maintenance: 'Maintenance (something is broken)',
  concierge: 'Concierge (taxi, tours, tables, …)',
}

export function ServiceRequestPage() {
  const requests = useServiceRequests({ limit: 20 })
  const stays = useBookings({ status: 'checked_in', limit: 10 })
  const [kind, setKind] = useState<ServiceKind>('housekeeping')
  const [priority, setPriority] = useState<ServicePriority>('normal')
  const [description, setDescription] = useState('')
  const [roomNumber, setRoomNumber] = useState('')
  const [sent, setSent] = useState(false)
  const create = useCreate(api.serviceRequests.create)
  const cancel = useAction(async (id: number) => {
    await api.serviceRequests.setStatus(id, 'cancelled')
    invalidate('service-requests')
  })

  const stay = stays.data?.items[0]

  async function submit(event: FormEvent) {
    event.preventDefault()
    setSent(false)
    const created = await create.run({
      kind,
      priority,
      description: description.trim(),
      ...(stay ? { booking_id: stay.id } : {}),
      ...(roomNumber.trim() ? { room_number: roomNumber.trim() } : stay?.room_number ? { room_number: stay.room_number } : {}),
    })
    if (created) {
      setDescription('')
      setSent(true)
      invalidate('service-requests')
    }
  }

  return (
    <>
      <PageHeader title="Ask for something" />
      <div className="split">
        <form className="card" onSubmit={submit} noValidate>
          {sent && <Notice>Thank you — we have your request and will be with you shortly.</Notice>}
          <ErrorMessage error={create.error} />
          <Field label="What do you need?" error={create.fieldErrors.kind}>
            <select value={kind} onChange={(e) => setKind(e.target.value as ServiceKind)}>
              {SERVICE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Details" error={create.fieldErrors.description}>
            <textarea
              name="description"
              rows={4}
              maxLength={2000}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              placeholder="Two extra towels, please"
              required
            />
          </Field>
          <div className="form-row">
            <Field label="Room number" hint={stay?.room_number ? `Your room: ${stay.room_number}` : undefined} error={create.fieldErrors.room_number}>
              <input value={roomNumber} onChange={(e) => setRoomNumber(e.target.value)} placeholder={stay?.room_number ?? ''} maxLength={16} />
            </Field>
            <Field label="Priority" error={create.fieldErrors.priority}>
              <select value={priority} onChange={(e) => setPriority(e.target.value as ServicePriority)}>
                {SERVICE_PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Button type="submit" busy={create.pending} disabled={!description.trim()}>
            Send request
          </Button>
        </form>
        <section>
          <h2 className="section-title">My requests</h2>
          <ErrorMessage error={cancel.error} />
          <ErrorMessage error={requests.error} onRetry={requests.reload} />
          {requests.loading && !requests.data && <Loading />}
          {requests.data && requests.data.items.length === 0 && <EmptyState title="No requests yet." />}
          <div className="card-list">
            {requests.data?.items.map((request) => (
              <ServiceRequestCard
                key={request.id}
                request={request}
                actions={
                  request.status === 'open' || request.status === 'assigned' ? (
                    <ConfirmButton
                      label="Cancel request"
                      confirmLabel="Yes, cancel it"
                      busy={cancel.pending}
                      onConfirm={() => void cancel.run(request.id)}
                    />
                  ) : undefined
                }
              />
            ))}
          </div>
        </section>
      </div>
    </>
  )
}
