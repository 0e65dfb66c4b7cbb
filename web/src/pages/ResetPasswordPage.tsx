import { useState, type FormEvent } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { api, ApiError } from '../api'
import { useAction } from '../hooks/useAction'
import { useAuth } from '../hooks/useAuth'
import { Button, ErrorMessage, Field } from '../components/ui'

const MIN_LENGTH = 8

/** Why the link cannot be used, in the words of someone who clicked it. */
function linkProblem(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null
  if (error.code === 'token_expired') return 'This reset link has expired.'
  if (error.code === 'invalid_token' || error.fieldErrors.token) return 'This reset link is not valid any more.'
  return null
}

/** Where the emailed link leads: choose a new password, then sign in with it. */
export function ResetPasswordPage() {
  const [params] = useSearchParams()
  const token = params.get('token') ?? ''
  const navigate = useNavigate()
  const { user, logout } = useAuth()
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [mismatch, setMismatch] = useState(false)
  const reset = useAction(api.auth.resetPassword)

  async function submit(event: FormEvent) {
    event.preventDefault()
    const differ = password !== confirm
    setMismatch(differ)
    if (differ) return
    if (await reset.run(token, password)) {
      // The reset ended every session, this page's included.
      if (user) await logout()
      navigate('/login', {
        replace: true,
        state: { message: 'Your password has been changed. Sign in with the new one.' },
      })
    }
  }

  const problem = token ? linkProblem(reset.error) : 'This link is missing its code.'
  const tooShort = password.length > 0 && password.length < MIN_LENGTH
  const passwordError = reset.fieldErrors.password
    ? `Choose a password of at least ${MIN_LENGTH} characters.`
    : undefined

  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit} noValidate aria-labelledby="reset-title">
        <h1 id="reset-title">Choose a new password</h1>
        {problem ? (
          <>
            <div className="alert alert-error" role="alert">
              <span>
                {problem} Ask for a new link and use it within the time the email gives.
              </span>
            </div>
            <p className="muted center">
              <Link to="/forgot-password">Send me a new link</Link>
            </p>
          </>
        ) : (
          <>
            <p className="muted">Saving it signs this account out on every device; then sign in with the new one.</p>
            <ErrorMessage error={passwordError ? null : reset.error} />
            <Field
              label="New password"
              hint={`At least ${MIN_LENGTH} characters`}
              error={passwordError ?? (tooShort ? `Use at least ${MIN_LENGTH} characters.` : undefined)}
            >
              <input
                type="password"
                name="password"
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
            </Field>
            <Field
              label="Confirm new password"
              error={mismatch ? 'The two passwords are not the same; type the new one again.' : undefined}
            >
              <input
                type="password"
                name="confirm"
                autoComplete="new-password"
                value={confirm}
                onChange={(e) => {
                  setConfirm(e.target.value)
                  setMismatch(false)
                }}
                required
              />
            </Field>
            <Button type="submit" busy={reset.pending} className="btn-block">
              {reset.pending ? 'Saving…' : 'Save new password'}
            </Button>
          </>
        )}
      </form>
    </div>
  )
}
