import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { api } from '../api'
import { useAction } from '../hooks/useAction'
import { Button, ErrorMessage, Field, Notice } from '../components/ui'

/** Ask for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('')
  const [sent, setSent] = useState(false)
  const request = useAction(api.auth.forgotPassword)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (await request.run(email.trim())) setSent(true)
  }

  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit} noValidate>
        <h1>Forgot your password?</h1>
        {sent ? (
          <>
            <Notice>
              If an account uses <strong>{email.trim()}</strong>, we have emailed it a link to choose a new
              password. The link works once and only for a short while.
            </Notice>
            <p className="muted center">
              <Link to="/login">Back to sign in</Link>
            </p>
          </>
        ) : (
          <>
            <p className="muted">Enter the email you sign in with and we will send you a link to choose a new one.</p>
            <ErrorMessage error={request.fieldErrors.email ? null : request.error} />
            <Field label="Email" error={request.fieldErrors.email && 'Enter a valid email address.'}>
              <input
                type="email"
                name="email"
                autoComplete="username"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                required
              />
            </Field>
            <Button type="submit" busy={request.pending} className="btn-block">
              {request.pending ? 'Sending…' : 'Send reset link'}
            </Button>
            <p className="muted center">
              Remembered it? <Link to="/login">Sign in</Link>
            </p>
          </>
        )}
      </form>
    </div>
  )
}
