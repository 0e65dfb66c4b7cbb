import { useState, type ReactNode } from 'react'
import type { Page } from '../api/types'
import type { Resource } from '../hooks/useResource'
import { EmptyState, ErrorMessage, Field, Loading, Pagination } from './ui'

export interface QueueFilters {
  status: string
  search: string
  offset: number
}

export interface QueueColumn<T> {
  header: string
  render: (row: T) => ReactNode
  className?: string
}

interface QueueTableProps<T extends { id: number }> {
  label: string
  statuses: readonly string[]
  statusName: string
  search: { label: string; name: string; placeholder: string }
  empty: { none: string; filtered: string }
  /** A hook reading one page of the queue; the same function on every render. */
  useRows: (filters: QueueFilters) => Resource<Page<T>>
  columns: QueueColumn<T>[]
  rowTestId: string
}

/** An outbox queue: status and address filters, a paged table, its empty and error states. */
export function QueueTable<T extends { id: number }>(props: QueueTableProps<T>) {
  const { label, statuses, statusName, search, empty, useRows, columns, rowTestId } = props
  const [status, setStatus] = useState('')
  const [text, setText] = useState('')
  const [offset, setOffset] = useState(0)
  const rows = useRows({ status, search: text.trim(), offset })
  const page = rows.data
  return (
    <section aria-label={label}>
      <div className="card filters">
        <Field label="Status">
          <select name={statusName} value={status} onChange={(e) => { setStatus(e.target.value); setOffset(0) }}>
            <option value="">Any</option>
            {statuses.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field label={search.label}>
          <input type="search" name={search.name} value={text} placeholder={search.placeholder} onChange={(e) => { setText(e.target.value); setOffset(0) }} />
        </Field>
      </div>
      <ErrorMessage error={rows.error} onRetry={rows.reload} />
      {rows.loading && !page && <Loading />}
      {page && page.items.length === 0 && (
        <EmptyState title={status || text.trim() ? empty.filtered : empty.none} />
      )}
      {page && page.items.length > 0 && (
        <div className="table-wrap">
          <table className="table responsive-table">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.header}>{c.header || <span className="sr-only">Actions</span>}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.items.map((row) => (
                <tr key={row.id} data-testid={rowTestId}>
                  {columns.map((c) => (
                    <td key={c.header} data-label={c.header || 'Actions'} className={c.className}>{c.render(row)}</td>
                  ))}
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
