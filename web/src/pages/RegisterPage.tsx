import { useState, type FormEvent } from 'react'
import { Link, Navigate, useNavigate } from 'react-router'
import { useAction } from '../hooks/useAction'
import { useAuth } from '../hooks/useAuth'
import { homePath } from '../lib/access'
import { Button, ErrorMessage, Field } from '../components/ui'

export function RegisterPage() {
  const { user, register } = useAuth()
  const navigate = useNavigate()
  const [form, setForm] = useState({ full_name: '', email: '', phone: '', password: '' })
  const signUp = useAction(register)

  if (user) return <Navigate to={homePath(user)} replace />

  const set = (name: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [name]: e.target.value }))

  async function submit(event: FormEvent) {
    event.preventDefault()
    const me = await signUp.run({
      full_name: form.full_name,
      email: form.email,
      password: form.password,
      phone: form.phone.trim() || null,
    })
    if (me) navigate(homePath(me), { replace: true })
  }

  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>Create your account</h1>
        <p className="muted">Book rooms, order room service and ask us for anything.</p>
        <ErrorMessage error={signUp.error} />
        <Field label="Full name" error={signUp.fieldErrors.full_name}>
          <input name="full_name" autoComplete="name" value={form.full_name} onChange={set('full_name')} required />
        </Field>
        <Field label="Email" error={signUp.fieldErrors.email}>
          <input type="email" name="email" autoComplete="email" value={form.email} onChange={set('email')} required />
        </Field>
        <Field label="Phone (optional)" hint="For booking confirmations by SMS" error={signUp.fieldErrors.phone}>
          <input type="tel" name="phone" autoComplete="tel" value={form.phone} onChange={set('phone')} />
        </Field>
        <Field label="Password" hint="At least 8 characters" error={signUp.fieldErrors.password}>
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
            required
          />
        </Field>
        <Button type="submit" busy={signUp.pending} className="btn-block">
          {signUp.pending ? 'Creating account…' : 'Create account'}
        </Button>
        <p className="muted center">
          Already have an account? <Link to="/login">Sign in</Link>
        </p>
      </form>
    </div>
  )
}
