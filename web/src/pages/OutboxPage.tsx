import { useState } from 'react'
import { api } from '../api'
import type { EmailOut, EmailStatus } from '../api/types'
import { EMAIL_STATUSES } from '../api/types'
import { ConfirmButton } from '../components/ConfirmButton'
import { Button, EmptyState, ErrorMessage, Field, Loading, PageHeader, Pagination, StatusBadge } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useEmailQueue, useOutboxMessage, useOutboxMessages, useSmsQueue } from '../hooks/useHotel'
import { formatDateTime } from '../lib/dates'
import { invalidate } from '../lib/invalidation'

const LIMIT = 20
const SMS_STATUSES = ['queued', 'sending', 'sent', 'failed', 'cancelled', 'suppressed', 'held'] as const

type Tab = 'emails' | 'stored' | 'sms'
const TABS: { tab: Tab; label: string }[] = [
  { tab: 'emails', label: 'Email queue' },
  { tab: 'stored', label: 'Stored mail' },
  { tab: 'sms', label: 'SMS queue' },
]

export function OutboxPage() {
  const [tab, setTab] = useState<Tab>('emails')
  return (
    <>
      <PageHeader title="Outbox" />
      <div className="tabs" role="tablist" aria-label="Outbox">
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
      {tab === 'stored' && <StoredMail />}
      {tab === 'sms' && <SmsQueue />}
    </>
  )
}

function EmailActions({ email }: { email: EmailOut }) {
  const retry = useAction((id: number) => api.emails.retry(id))
  const cancel = useAction((id: number) => api.emails.cancel(id))
  const done = () => invalidate('messaging')
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

function EmailQueue() {
  const [status, setStatus] = useState<EmailStatus | ''>('')
  const [recipient, setRecipient] = useState('')
  const [offset, setOffset] = useState(0)
  const queue = useEmailQueue({ status, recipient: recipient.trim(), limit: LIMIT, offset })
  const page = queue.data
  return (
    <section aria-label="Email queue">
      <div className="card filters">
        <Field label="Status">
          <select name="status" value={status} onChange={(e) => { setStatus(e.target.value as EmailStatus | ''); setOffset(0) }}>
            <option value="">Any</option>
            {EMAIL_STATUSES.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field label="Recipient">
          <input type="search" name="recipient" value={recipient} placeholder="name@example.com" onChange={(e) => { setRecipient(e.target.value); setOffset(0) }} />
        </Field>
      </div>
      <ErrorMessage error={queue.error} onRetry={queue.reload} />
      {queue.loading && !page && <Loading />}
      {page && page.items.length === 0 && (
        <EmptyState title={status || recipient.trim() ? 'No emails match these filters.' : 'No emails yet.'} />
      )}
      {page && page.items.length > 0 && (
        <div className="table-wrap">
          <table className="table responsive-table">
            <thead>
              <tr>
                <th>To</th>
                <th>Subject</th>
                <th>Status</th>
                <th>Attempts</th>
                <th>Created</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {page.items.map((e) => (
                <tr key={e.id} data-testid="email-row">
                  <td data-label="To" className="break">{e.to_address}</td>
                  <td data-label="Subject">
                    {e.subject}
                    {e.last_error && <div className="muted small">{e.last_error}</div>}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={e.status} />
                    {e.delivery_status && <span className="muted small"> {e.delivery_status}</span>}
                  </td>
                  <td data-label="Attempts">{e.attempts}/{e.max_attempts}</td>
                  <td data-label="Created">{formatDateTime(e.created_at)}</td>
                  <td data-label="Actions"><EmailActions email={e} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && <Pagination total={page.total} limit={page.limit} offset={page.offset} onChange={setOffset} />}
    </section>
  )
}

function StoredMail() {
  const [offset, setOffset] = useState(0)
  const [openId, setOpenId] = useState<number | null>(null)
  const list = useOutboxMessages({ limit: LIMIT, offset })
  const page = list.data
  return (
    <section aria-label="Stored mail" className="outbox-split">
      <div>
        <ErrorMessage error={list.error} onRetry={list.reload} />
        {list.loading && !page && <Loading />}
        {page && page.items.length === 0 && (
          <EmptyState title="No stored mail.">Mail is stored here when the email provider is “outbox”.</EmptyState>
        )}
        {page && page.items.length > 0 && (
          <ul className="outbox-list">
            {page.items.map((m) => (
              <li key={m.id}>
                <button type="button" className={m.id === openId ? 'outbox-item active' : 'outbox-item'} onClick={() => setOpenId(m.id)} data-testid="stored-mail">
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
  const message = useOutboxMessage(id)
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

function SmsQueue() {
  const [status, setStatus] = useState('')
  const [to, setTo] = useState('')
  const [offset, setOffset] = useState(0)
  const queue = useSmsQueue({ status, to: to.trim(), limit: LIMIT, offset })
  const page = queue.data
  return (
    <section aria-label="SMS queue">
      <div className="card filters">
        <Field label="Status">
          <select name="sms-status" value={status} onChange={(e) => { setStatus(e.target.value); setOffset(0) }}>
            <option value="">Any</option>
            {SMS_STATUSES.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field label="Phone">
          <input type="search" name="to" value={to} placeholder="+254…" onChange={(e) => { setTo(e.target.value); setOffset(0) }} />
        </Field>
      </div>
      <ErrorMessage error={queue.error} onRetry={queue.reload} />
      {queue.loading && !page && <Loading />}
      {page && page.items.length === 0 && (
        <EmptyState title={status || to.trim() ? 'No text messages match these filters.' : 'No text messages yet.'} />
      )}
      {page && page.items.length > 0 && (
        <div className="table-wrap">
          <table className="table responsive-table">
            <thead>
              <tr>
                <th>To</th>
                <th>Message</th>
                <th>Status</th>
                <th>Segments</th>
                <th>Provider</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((s) => (
                <tr key={s.id} data-testid="sms-row">
                  <td data-label="To" className="mono">{s.to_phone}</td>
                  <td data-label="Message">{s.body}</td>
                  <td data-label="Status">
                    <StatusBadge status={s.status} />
                    {s.emergency && <span className="badge badge-failed">emergency</span>}
                  </td>
                  <td data-label="Segments">{s.segments}</td>
                  <td data-label="Provider">{s.provider ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && <Pagination total={page.total} limit={page.limit} offset={page.offset} onChange={setOffset} />}
    </section>
  )
}
