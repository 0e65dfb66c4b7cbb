import { useState } from 'react'
import { api } from '../api'
import type { Role, User } from '../api/types'
import { ConfirmButton } from '../components/ConfirmButton'
import { label, StaffForm } from '../components/manage/StaffForm'
import { Button, EmptyState, ErrorMessage, Field, Loading, Notice, PageHeader, Pagination } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useAuth } from '../hooks/useAuth'
import { useResource } from '../hooks/useResource'
import { formError, sentence } from '../lib/formErrors'
import { invalidate } from '../lib/invalidation'

const LIMIT = 20

/** Staff accounts: create, change role and department, deactivate, send a reset link. */
export function StaffPage() {
  const { user } = useAuth()
  const isAdmin = user?.role === 'admin'
  const roles: Role[] = isAdmin ? ['staff', 'manager', 'admin'] : ['staff']
  const [search, setSearch] = useState('')
  const [offset, setOffset] = useState(0)
  const [editing, setEditing] = useState<number | 'new' | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const query = { search: search.trim(), limit: LIMIT, offset, staff_only: true }
  const accounts = useResource((signal) => api.users.list(query, signal), JSON.stringify(query), ['staff'])
  const act = useAction(async (account: User, what: 'deactivate' | 'reactivate' | 'reset') => {
    if (what === 'reset') {
      await api.users.sendPasswordReset(account.id)
      return `A reset link is on its way to ${account.email}.`
    }
    await api.users.update(account.id, { is_active: what === 'reactivate' })
    invalidate('staff')
    return what === 'reactivate' ? `${account.full_name} can sign in again.` : `${account.full_name} can no longer sign in.`
  })
  const staff = accounts.data?.items ?? []
  const mayManage = (account: User) => isAdmin || account.role === 'staff'

  async function run(account: User, what: 'deactivate' | 'reactivate' | 'reset') {
    setNotice(null)
    const done = await act.run(account, what)
    if (done) setNotice(done)
  }

  return (
    <>
      <PageHeader title="Staff">
        <Button onClick={() => { setNotice(null); setEditing('new') }}>New account</Button>
      </PageHeader>
      {notice && <Notice>{notice}</Notice>}
      {act.error ? (
        <div className="alert alert-error" role="alert">
          {act.error && formError(act.error, {}) ? sentence(formError(act.error, {}) ?? '') : null}
        </div>
      ) : null}
      {editing === 'new' && (
        <StaffForm roles={roles} onDone={(saved) => {
          setEditing(null)
          if (saved) setNotice(`${saved.full_name}’s account is ready; they have an email to choose a password.`)
        }} />
      )}
      <div className="card filters">
        <Field label="Find someone" hint="Name or email">
          <input type="search" name="search" value={search} onChange={(e) => { setSearch(e.target.value); setOffset(0) }} />
        </Field>
      </div>
      <ErrorMessage error={accounts.error} onRetry={accounts.reload} />
      {accounts.loading && !accounts.data && <Loading />}
      {accounts.data && staff.length === 0 && <EmptyState title="No staff account matches." />}
      <ul className="card-list staff-list">
        {staff.map((account) =>
          editing === account.id ? (
            <li key={account.id}>
              <StaffForm account={account} roles={roles} onDone={(saved) => {
                setEditing(null)
                if (saved) setNotice(`${saved.full_name} is saved.`)
              }} />
            </li>
          ) : (
            <li key={account.id} className="card staff-row" data-testid="staff-row" aria-label={account.full_name}>
              <div className="staff-text">
                <strong>{account.full_name}</strong>
                <span className="muted small">{account.email}</span>
                <span className="small">
                  {label(account.role)}
                  {account.department ? ` · ${label(account.department)}` : ''}
                  {!account.is_active && <span className="badge badge-cancelled">deactivated</span>}
                </span>
              </div>
              {mayManage(account) && account.id !== user?.id && (
                <div className="button-row">
                  <Button small variant="secondary" onClick={() => { setNotice(null); setEditing(account.id) }}>
                    Edit
                  </Button>
                  {account.is_active && (
                    <Button small variant="ghost" busy={act.pending} onClick={() => void run(account, 'reset')}>
                      Send reset link
                    </Button>
                  )}
                  {account.is_active ? (
                    <ConfirmButton label="Deactivate" confirmLabel="Yes, deactivate" busy={act.pending}
                      onConfirm={() => void run(account, 'deactivate')} />
                  ) : (
                    <Button small variant="ghost" busy={act.pending} onClick={() => void run(account, 'reactivate')}>
                      Reactivate
                    </Button>
                  )}
                </div>
              )}
            </li>
          ),
        )}
      </ul>
      {accounts.data && (
        <Pagination total={accounts.data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
      )}
    </>
  )
}
