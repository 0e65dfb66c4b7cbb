import { useState } from 'react'
import { api } from '../api'
import type { EmailOut, EmailStatus, SmsOut } from '../api/types'
import { EMAIL_STATUSES } from '../api/types'
import { ConfirmButton } from '../components/ConfirmButton'
import { QueueTable, type QueueColumn, type QueueFilters } from '../components/QueueTable'
import { Button, EmptyState, ErrorMessage, Loading, PageHeader, Pagination, StatusBadge } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useCapturedMail, useCapturedMessage, useEmailQueue, useSmsQueue } from '../hooks/useHotel'
import { formatDateTime } from '../lib/dates'
import { invalidate } from '../lib/invalidation'

const LIMIT = 20
/** The queue's statuses and `held` (over an SMS budget), which the API's document does not
 * declare: SmsOut.status and the queue's `status` filter are plain strings there. */
const SMS_STATUSES = [...EMAIL_STATUSES, 'held'] as const

type Tab = 'emails' | 'captured' | 'sms'
const TABS: { tab: Tab; label: string }[] = [
  { tab: 'emails', label: 'Email queue' },
  { tab: 'captured', label: 'Captured mail' },
  { tab: 'sms', label: 'SMS queue' },
]

export function DeliveryLogPage() {
  const [tab, setTab] = useState<Tab>('emails')
  return (
    <>
      <PageHeader title="Email & SMS" />
      <div className="tabs" role="tablist" aria-label="Email and SMS">
        {TABS.map((t) => (
          <button
            key={t.tab}
            type="button"
            role="tab"
            aria-selected={tab === t.tab}
            className={tab === t.tab ? 'tab active' : 'tab'}
            onClick={() => setTab(t.tab)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tab === 'emails' && <EmailQueue />}
      {tab === 'captured' && <CapturedMail />}
      {tab === 'sms' && <SmsQueue />}
    </>
  )
}

function EmailActions({ email }: { email: EmailOut }) {
  const retry = useAction((id: number) => api.emails.retry(id))
  const cancel = useAction((id: number) => api.emails.cancel(id))
  const done = () => invalidate('delivery')
  return (
    <div className="row-actions">
      {(email.status === 'failed' || email.status === 'cancelled') && (
        <Button small variant="secondary" busy={retry.pending} onClick={() => void retry.run(email.id).then((r) => r && done())}>
          Retry
        </Button>
      )}
      {email.status === 'queued' && (
        <ConfirmButton label="Cancel" confirmLabel="Cancel this email" busy={cancel.pending} onConfirm={() => void cancel.run(email.id).then((r) => r && done())} />
      )}
      <ErrorMessage error={retry.error ?? cancel.error} />
    </div>
  )
}

function useEmailRows(filters: QueueFilters) {
  return useEmailQueue({ status: filters.status as EmailStatus | '', recipient: filters.search, limit: LIMIT, offset: filters.offset })
}

const EMAIL_COLUMNS: QueueColumn<EmailOut>[] = [
  { header: 'To', className: 'break', render: (e) => e.to_address },
  {
    header: 'Subject',
    render: (e) => (
      <>
        {e.subject}
        {e.last_error && <div className="muted small">{e.last_error}</div>}
      </>
    ),
  },
  {
    header: 'Status',
    render: (e) => (
      <>
        <StatusBadge status={e.status} />
        {e.delivery_status && <span className="muted small"> {e.delivery_status}</span>}
      </>
    ),
  },
  { header: 'Attempts', render: (e) => `${e.attempts}/${e.max_attempts}` },
  { header: 'Created', render: (e) => formatDateTime(e.created_at) },
  { header: '', render: (e) => <EmailActions email={e} /> },
]

function EmailQueue() {
  return (
    <QueueTable
      label="Email queue"
      statuses={EMAIL_STATUSES}
      statusName="status"
      search={{ label: 'Recipient', name: 'recipient', placeholder: 'name@example.com' }}
      empty={{ none: 'No emails yet.', filtered: 'No emails match these filters.' }}
      useRows={useEmailRows}
      columns={EMAIL_COLUMNS}
      rowTestId="email-row"
    />
  )
}

function CapturedMail() {
  const [offset, setOffset] = useState(0)
  const [openId, setOpenId] = useState<number | null>(null)
  const list = useCapturedMail({ limit: LIMIT, offset })
  const page = list.data
  return (
    <section aria-label="Captured mail" className="captured-split">
      <div>
        <ErrorMessage error={list.error} onRetry={list.reload} />
        {list.loading && !page && <Loading />}
        {page && page.items.length === 0 && (
          <EmptyState title="No captured mail.">Mail is kept here when the email provider is “capture”.</EmptyState>
        )}
        {page && page.items.length > 0 && (
          <ul className="captured-list">
            {page.items.map((m) => (
              <li key={m.id}>
                <button type="button" className={m.id === openId ? 'captured-item active' : 'captured-item'} onClick={() => setOpenId(m.id)} data-testid="captured-mail">
                  <strong>{m.subject}</strong>
                  <span className="muted small break">{m.to_address}</span>
                  <span className="muted small">{formatDateTime(m.created_at)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {page && <Pagination total={page.total} limit={page.limit} offset={page.offset} onChange={setOffset} />}
      </div>
      {openId !== null && <MailViewer id={openId} />}
    </section>
  )
}

function MailViewer({ id }: { id: number }) {
  const message = useCapturedMessage(id)
  const m = message.data
  return (
    <article className="card mail-viewer" aria-label="Message">
      <ErrorMessage error={message.error} onRetry={message.reload} />
      {message.loading && !m && <Loading />}
      {m && (
        <>
          <h2>{m.subject}</h2>
          <dl className="mail-meta">
            <dt>From</dt><dd className="break">{m.from_address}</dd>
            <dt>To</dt><dd className="break">{m.to_address}</dd>
            <dt>Date</dt><dd>{formatDateTime(m.created_at)}</dd>
          </dl>
          {m.body_html ? (
            <iframe title="HTML part" className="mail-html" sandbox="" srcDoc={m.body_html} />
          ) : (
            <p className="muted">No HTML part.</p>
          )}
          <details open={!m.body_html}>
            <summary>Text part</summary>
            <pre className="mail-text">{m.body_text}</pre>
          </details>
        </>
      )}
    </article>
  )
}

function useSmsRows(filters: QueueFilters) {
  return useSmsQueue({ status: filters.status, to: filters.search, limit: LIMIT, offset: filters.offset })
}

const SMS_COLUMNS: QueueColumn<SmsOut>[] = [
  { header: 'To', className: 'mono', render: (s) => s.to_phone },
  { header: 'Message', render: (s) => s.body },
  {
    header: 'Status',
    render: (s) => (
      <>
        <StatusBadge status={s.status} />
        {s.emergency && <span className="badge badge-failed">emergency</span>}
      </>
    ),
  },
  { header: 'Segments', render: (s) => s.segments },
  { header: 'Provider', render: (s) => s.provider ?? '—' },
]

function SmsQueue() {
  return (
    <QueueTable
      label="SMS queue"
      statuses={SMS_STATUSES}
      statusName="sms-status"
      search={{ label: 'Phone', name: 'to', placeholder: '+254…' }}
      empty={{ none: 'No text messages yet.', filtered: 'No text messages match these filters.' }}
      useRows={useSmsRows}
      columns={SMS_COLUMNS}
      rowTestId="sms-row"
    />
  )
}
