import { useState, type FormEvent } from 'react'
import { Link, Navigate, useLocation, useNavigate } from 'react-router'
import { useAction } from '../hooks/useAction'
import { useAuth } from '../hooks/useAuth'
import { homePath } from '../lib/access'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../lib/config'
import { hotel } from '../lib/hotel'
import { Button, ErrorMessage, Field, Notice } from '../components/ui'

export function LoginPage() {
  const { user, login, notice } = useAuth()
  const navigate = useNavigate()
  const location = useLocation()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const signIn = useAction(login)

  if (user) return <Navigate to={homePath(user)} replace />

  const state = location.state as { from?: string; message?: string } | null
  const from = state?.from

  async function submit(event: FormEvent) {
    event.preventDefault()
    const me = await signIn.run(email, password)
    if (me) navigate(from && from !== '/login' ? from : homePath(me), { replace: true })
  }

  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>Sign in</h1>
        <p className="muted">Welcome to {hotel().name}.</p>
        {notice && <Notice tone="info">{notice}</Notice>}
        {state?.message && !signIn.error && <Notice>{state.message}</Notice>}
        <ErrorMessage error={signIn.error} />
        <Field label="Email" error={signIn.fieldErrors.email}>
          <input
            type="email"
            name="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </Field>
        <Field label="Password" error={signIn.fieldErrors.password}>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </Field>
        <Button type="submit" busy={signIn.pending} className="btn-block">
          {signIn.pending ? 'Signing in…' : 'Sign in'}
        </Button>
        <p className="muted center">
          <Link to="/forgot-password">Forgot password?</Link>
        </p>
        <p className="muted center">
          New here? <Link to="/register">Create a guest account</Link>
        </p>
      </form>
      {hotel().demo && (
        <section className="card demo-accounts" aria-labelledby="demo-title">
          <h2 id="demo-title">Demo accounts</h2>
          <p className="muted">
            On a demo install every account uses the password <code>{DEMO_PASSWORD}</code>. Pick one
            to fill the form.
          </p>
          <div className="demo-list">
            {DEMO_ACCOUNTS.map((account) => (
              <button
                key={account.email}
                type="button"
                className="demo-account"
                onClick={() => {
                  setEmail(account.email)
                  setPassword(DEMO_PASSWORD)
                  signIn.reset()
                }}
              >
                <strong>{account.label}</strong>
                <span>{account.email}</span>
              </button>
            ))}
          </div>
        </section>
      )}
    </div>
  )
}
