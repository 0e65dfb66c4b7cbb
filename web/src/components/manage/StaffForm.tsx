import { useState, type FormEvent } from 'react'
import { api } from '../../api'
import { DEPARTMENTS, type Department, type Role, type User } from '../../api/types'
import { useAction } from '../../hooks/useAction'
import { fieldErrors, formError } from '../../lib/formErrors'
import { invalidate } from '../../lib/invalidation'
import { EMAIL, PHONE, SENTENCES, type Errors } from '../../lib/validate'
import { Button, Field } from '../ui'

export const label = (value: string) => value.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase())

interface Props {
  /** Absent for a new account. */
  account?: User
  /** The roles the signed-in person may give: admins all, managers staff only. */
  roles: Role[]
  onDone: (saved: User | null) => void
}

/** A new staff account (its owner is emailed a link to choose a password) or a change to one. */
export function StaffForm({ account, roles, onDone }: Props) {
  const [form, setForm] = useState({
    email: account?.email ?? '',
    full_name: account?.full_name ?? '',
    phone: account?.phone ?? '',
    role: (account?.role ?? 'staff') as Role,
    department: (account?.department ?? '') as Department | '',
  })
  const [checked, setChecked] = useState<Errors>({})
  const save = useAction(async () => {
    const common = {
      full_name: form.full_name.trim(),
      role: form.role,
      department: form.role === 'staff' || form.department ? (form.department || null) : null,
    }
    if (account) {
      return api.users.update(account.id, { ...common, phone: form.phone.trim() || null })
    }
    return api.users.create({ ...common, email: form.email.trim(), ...(form.phone.trim() ? { phone: form.phone.trim() } : {}) })
  })

  function validate(): Errors {
    const errors: Errors = {}
    if (!account && !EMAIL.test(form.email.trim())) errors.email = SENTENCES.email
    if (!form.full_name.trim() || form.full_name.trim().length > 200) errors.full_name = SENTENCES.full_name
    if (form.phone.trim() && !PHONE.test(form.phone.trim())) errors.phone = SENTENCES.phone
    if (form.role === 'staff' && !form.department) errors.department = SENTENCES.department
    return errors
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    const errors = validate()
    setChecked(errors)
    if (Object.keys(errors).length) return
    const saved = await save.run()
    if (saved) {
      invalidate('staff')
      onDone(saved)
    }
  }

  const fromApi = fieldErrors(save.error, SENTENCES)
  const errors = { ...fromApi, ...checked }
  const general = formError(save.error, fromApi)
  const set = (name: keyof typeof form) => (value: string) => {
    setForm((f) => ({ ...f, [name]: value }))
    setChecked((c) => ({ ...c, [name]: '' }))
  }

  return (
    <form className="card manage-form" onSubmit={submit} noValidate aria-label={account ? `Edit ${account.full_name}` : 'New staff account'}>
      <h3>{account ? `Edit ${account.full_name}` : 'New staff account'}</h3>
      {!account && <p className="muted small">They get an email with a link to choose their password.</p>}
      {general && (
        <div className="alert alert-error" role="alert">
          {general}
        </div>
      )}
      <div className="form-grid">
        <Field label="Name" error={errors.full_name || undefined}>
          <input name="full_name" value={form.full_name} onChange={(e) => set('full_name')(e.target.value)} />
        </Field>
        <Field label="Email" error={errors.email || undefined} hint={account ? 'The email cannot change.' : undefined}>
          <input name="email" type="email" value={form.email} disabled={!!account} onChange={(e) => set('email')(e.target.value)} />
        </Field>
        <Field label="Phone (optional)" error={errors.phone || undefined}>
          <input name="phone" type="tel" value={form.phone} onChange={(e) => set('phone')(e.target.value)} />
        </Field>
        <Field label="Role" error={errors.role || undefined}>
          <select name="role" value={form.role} onChange={(e) => set('role')(e.target.value)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {label(r)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Department" error={errors.department || undefined}>
          <select name="department" value={form.department} onChange={(e) => set('department')(e.target.value)}>
            <option value="">{form.role === 'staff' ? 'Choose…' : 'None'}</option>
            {DEPARTMENTS.map((d) => (
              <option key={d} value={d}>
                {label(d)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="button-row">
        <Button type="submit" busy={save.pending}>
          {save.pending ? 'Saving…' : account ? 'Save' : 'Create account'}
        </Button>
        <Button variant="ghost" onClick={() => onDone(null)}>
          Close
        </Button>
      </div>
    </form>
  )
}
