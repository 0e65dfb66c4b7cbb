import { useEffect, useState } from 'react'
import { api } from '../api'
import type { components } from '../api/schema'
import { DEPARTMENT_LABELS, DEPARTMENTS } from '../api/types'
import type { Announcement, AnnouncementIn, AnnouncementPreview, AnnouncementPriority, AnnouncementTarget, Department } from '../api/types'
import { Button, EmptyState, ErrorMessage, Field, Loading, PageHeader, StatusBadge } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useResource } from '../hooks/useResource'
import { formatDateTime } from '../lib/dates'
import { invalidate } from '../lib/invalidation'

type Kind = NonNullable<AnnouncementTarget['kind']>
const KIND_LABELS: Record<Kind, string> = {
  all: 'Everyone',
  guests: 'All guests',
  staff: 'All staff',
  vips: 'VIP guests',
  department: 'A department',
  in_house: 'Guests in house now',
  arriving: 'Guests arriving on a date',
  group: 'A notification group',
}
const KINDS = Object.entries(KIND_LABELS) as [Kind, string][]

interface Draft {
  template: string
  variables: Record<string, string>
  title: string
  body: string
  title_sw: string
  body_sw: string
  priority: '' | AnnouncementPriority
  kind: Kind
  department: Department
  date: string
  group_id: string
  scheduled_for: string
}

const EMPTY: Draft = {
  template: '',
  variables: {},
  title: '',
  body: '',
  title_sw: '',
  body_sw: '',
  priority: '',
  kind: 'guests',
  department: 'front_desk',
  date: '',
  group_id: '',
  scheduled_for: '',
}

/** The target as the API states it: each kind with what it needs. A kind still missing
 *  its day or group goes as it is, and the preview says what is missing. */
function targetOf(d: Draft): AnnouncementTarget {
  switch (d.kind) {
    case 'department':
      return { kind: 'department', department: d.department as Department }
    case 'arriving':
      return d.date ? { kind: 'arriving', date: d.date } : ({ kind: 'arriving' } as AnnouncementTarget)
    case 'group':
      return d.group_id ? { kind: 'group', group_id: Number(d.group_id) } : ({ kind: 'group' } as AnnouncementTarget)
    default:
      return { kind: d.kind }
  }
}

// The announcement templates, as the API lists them.
type TemplateKey = NonNullable<components['schemas']['AnnouncementPreviewIn']['template']>

function texts(d: Draft) {
  return {
    ...(d.template ? { template: d.template as TemplateKey, variables: d.variables } : {}),
    title: d.title,
    body: d.body,
    title_sw: d.title_sw,
    body_sw: d.body_sw,
  }
}

/** Compose an announcement with a live preview and the count of people it reaches, send it
 *  now or schedule it, and follow how each one went out. */
export function AnnouncementsPage() {
  const [draft, setDraft] = useState<Draft>(EMPTY)
  const [preview, setPreview] = useState<AnnouncementPreview | null>(null)
  const [previewError, setPreviewError] = useState<unknown>(null)
  const [selected, setSelected] = useState<number | null>(null)
  const templates = useResource((signal) => api.announcements.templates(signal), 'templates')
  const list = useResource((signal) => api.announcements.list({ limit: 20, offset: 0 }, signal), 'announcements', [
    'notifications',
  ])
  const create = useAction((body: AnnouncementIn) => api.announcements.create(body))
  const send = useAction((id: number) => api.announcements.send(id))
  const cancel = useAction((id: number) => api.announcements.cancel(id))
  const chosen = templates.data?.find((t) => t.key === draft.template)

  // The live preview: the texts as they will go out and how many people the target names.
  const previewKey = JSON.stringify({ t: texts(draft), target: targetOf(draft) })
  useEffect(() => {
    const controller = new AbortController()
    const timer = window.setTimeout(() => {
      api.announcements
        .preview({ target: targetOf(draft), ...texts(draft) }, controller.signal)
        .then((p) => {
          setPreview(p)
          setPreviewError(null)
        })
        .catch((err: unknown) => {
          if (!controller.signal.aborted) setPreviewError(err)
        })
    }, 300)
    return () => {
      window.clearTimeout(timer)
      controller.abort()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [previewKey])

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }))
  const submit = async (now: boolean) => {
    const made = await create.run({
      ...texts(draft),
      target: targetOf(draft),
      ...(draft.priority ? { priority: draft.priority } : {}),
      ...(draft.scheduled_for && !now ? { scheduled_for: draft.scheduled_for } : {}),
      client_key: `compose-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    })
    if (!made) return
    if (now) await send.run(made.id)
    setSelected(made.id)
    setDraft(EMPTY)
    invalidate('notifications')
  }

  return (
    <section className="page">
      <PageHeader title="Announcements" />
      <div className="announce-layout">
        <div className="card announce-compose">
          <h2>Compose</h2>
          <ErrorMessage error={create.error ?? send.error} />
          <Field label="Template">
            <select
              value={draft.template}
              onChange={(e) => {
                const t = templates.data?.find((x) => x.key === e.target.value)
                set({ template: e.target.value, variables: {}, priority: t ? (t.priority as Draft['priority']) : '' })
              }}
            >
              <option value="">None: write it yourself</option>
              {templates.data?.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.name}
                </option>
              ))}
            </select>
          </Field>
          {chosen?.variables.map((name) => (
            <Field key={name} label={name.replace(/_/g, ' ')}>
              <input
                value={draft.variables[name] ?? ''}
                onChange={(e) => set({ variables: { ...draft.variables, [name]: e.target.value } })}
              />
            </Field>
          ))}
          <Field label="Title" hint={chosen ? 'Leave empty to use the template’s.' : undefined} error={create.fieldErrors.title}>
            <input value={draft.title} maxLength={200} onChange={(e) => set({ title: e.target.value })} />
          </Field>
          <Field label="Message" error={create.fieldErrors.body}>
            <textarea rows={3} value={draft.body} maxLength={4000} onChange={(e) => set({ body: e.target.value })} />
          </Field>
          <Field label="Title in Kiswahili">
            <input value={draft.title_sw} maxLength={200} onChange={(e) => set({ title_sw: e.target.value })} />
          </Field>
          <Field label="Message in Kiswahili">
            <textarea rows={2} value={draft.body_sw} maxLength={4000} onChange={(e) => set({ body_sw: e.target.value })} />
          </Field>
          <div className="form-row">
            <Field label="Priority">
              <select value={draft.priority} onChange={(e) => set({ priority: e.target.value as Draft['priority'] })}>
                <option value="">{chosen ? `As the template (${chosen.priority})` : 'Normal'}</option>
                <option value="normal">Normal</option>
                <option value="important">Important</option>
                <option value="emergency">Emergency: every channel, banner until read</option>
              </select>
            </Field>
            <Field label="Send to">
              <select value={draft.kind} onChange={(e) => set({ kind: e.target.value as Kind })}>
                {KINDS.map(([kind, label]) => (
                  <option key={kind} value={kind}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
            {draft.kind === 'department' && (
              <Field label="Department">
                <select value={draft.department} onChange={(e) => set({ department: e.target.value as Department })}>
                  {DEPARTMENTS.map((d) => (
                    <option key={d} value={d}>
                      {DEPARTMENT_LABELS[d]}
                    </option>
                  ))}
                </select>
              </Field>
            )}
            {draft.kind === 'arriving' && (
              <Field label="Arriving on">
                <input type="date" value={draft.date} onChange={(e) => set({ date: e.target.value })} />
              </Field>
            )}
            {draft.kind === 'group' && (
              <Field label="Group number">
                <input inputMode="numeric" value={draft.group_id} onChange={(e) => set({ group_id: e.target.value })} />
              </Field>
            )}
          </div>
          <Field label="Send at (hotel time)" hint="Leave empty to keep it as a draft or send it now.">
            <input type="datetime-local" value={draft.scheduled_for} onChange={(e) => set({ scheduled_for: e.target.value })} />
          </Field>
          <div className="announce-actions">
            <Button busy={create.pending || send.pending} onClick={() => void submit(true)}>
              Send now
            </Button>
            <Button variant="secondary" busy={create.pending} onClick={() => void submit(false)}>
              {draft.scheduled_for ? 'Schedule' : 'Save draft'}
            </Button>
          </div>
        </div>
        <aside className="card announce-preview" aria-label="Preview">
          <h2>Preview</h2>
          {previewError ? <ErrorMessage error={previewError} /> : null}
          {preview && (
            <>
              <p className="announce-count" data-testid="recipient-count">
                Reaches <strong>{preview.recipients}</strong> {preview.recipients === 1 ? 'person' : 'people'}
              </p>
              <div className={`announce-sample${draft.priority === 'emergency' || chosen?.priority === 'emergency' ? ' emergency' : ''}`}>
                <strong>{preview.title || 'Title'}</strong>
                <p>{preview.body || 'Message'}</p>
              </div>
              {(preview.title_sw || preview.body_sw) && (
                <div className="announce-sample" lang="sw">
                  <strong>{preview.title_sw}</strong>
                  <p>{preview.body_sw}</p>
                </div>
              )}
            </>
          )}
        </aside>
      </div>
      <h2 className="section-title">Sent and scheduled</h2>
      <ErrorMessage error={list.error ?? cancel.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {list.data && list.data.items.length === 0 && <EmptyState title="No announcements yet." />}
      <ul className="card-list">
        {list.data?.items.map((a) => (
          <AnnouncementRow
            key={a.id}
            announcement={a}
            open={selected === a.id}
            onOpen={() => setSelected(selected === a.id ? null : a.id)}
            onSend={() => void send.run(a.id).then(() => invalidate('notifications'))}
            onCancel={() => void cancel.run(a.id).then(() => invalidate('notifications'))}
          />
        ))}
      </ul>
    </section>
  )
}

function AnnouncementRow(props: {
  announcement: Announcement
  open: boolean
  onOpen: () => void
  onSend: () => void
  onCancel: () => void
}) {
  const a = props.announcement
  const waiting = a.status === 'draft' || a.status === 'scheduled'
  return (
    <li className="card announce-row" data-testid="announcement">
      <div className="announce-row-head">
        <div>
          <strong>{a.title}</strong>
          <span className="muted small">
            {' '}
            · {a.priority} · {String(a.target.kind).replace(/_/g, ' ')}
            {a.scheduled_for_local && a.status === 'scheduled' ? ` · at ${a.scheduled_for_local.replace('T', ' ')}` : ''}
            {a.sent_at ? ` · sent ${formatDateTime(a.sent_at)} to ${a.recipient_count}` : ''}
          </span>
        </div>
        <StatusBadge status={a.status} />
      </div>
      <div className="announce-actions">
        {waiting && (
          <Button small onClick={props.onSend}>
            Send now
          </Button>
        )}
        {waiting && (
          <Button small variant="secondary" onClick={props.onCancel}>
            Cancel
          </Button>
        )}
        {a.status === 'sent' && (
          <Button small variant="ghost" onClick={props.onOpen} aria-expanded={props.open}>
            {props.open ? 'Hide progress' : 'Show progress'}
          </Button>
        )}
      </div>
      {props.open && a.status === 'sent' && <ProgressPanel announcement={a} />}
    </li>
  )
}

/** Delivery per channel, read again every two seconds while messages are still queued. */
function ProgressPanel({ announcement }: { announcement: Announcement }) {
  const progress = useResource((signal) => api.announcements.progress(announcement.id, signal), `progress-${announcement.id}`, [
    'notifications',
  ])
  const acks = useResource(
    (signal) => api.announcements.acknowledgements(announcement.id, signal),
    announcement.priority === 'emergency' ? `acks-${announcement.id}` : null,
    ['notifications'],
  )
  const pending = Object.values(progress.data?.channels ?? {}).some((steps) => (steps.queued ?? 0) > 0)
  const { reload } = progress
  useEffect(() => {
    if (!pending) return
    const timer = window.setInterval(reload, 2000)
    return () => window.clearInterval(timer)
  }, [pending, reload])
  return (
    <div className="announce-progress" data-testid="progress">
      <ErrorMessage error={progress.error} />
      {progress.data && (
        <table className="prefs-table">
          <thead>
            <tr>
              <th scope="col">Channel</th>
              {['queued', 'sent', 'delivered', 'read', 'failed', 'skipped'].map((s) => (
                <th key={s} scope="col">
                  {s}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Object.entries(progress.data.channels).map(([channel, steps]) => (
              <tr key={channel}>
                <th scope="row">{channel.replace('_', '-')}</th>
                {['queued', 'sent', 'delivered', 'read', 'failed', 'skipped'].map((s) => (
                  <td key={s}>{steps[s] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {acks.data && (
        <p data-testid="acknowledgements">
          Acknowledged by {acks.data.acknowledged} of {acks.data.acknowledged + acks.data.waiting}
          {acks.data.people.some((p) => p.acknowledged_at)
            ? `: ${acks.data.people
                .filter((p) => p.acknowledged_at)
                .map((p) => p.name)
                .join(', ')}`
            : ''}
        </p>
      )}
    </div>
  )
}
