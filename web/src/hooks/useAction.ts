import { useCallback, useRef, useState } from 'react'
import { ApiError } from '../api/client'
import { SubmissionKey } from '../lib/idempotency'

export interface Action<A extends unknown[], R> {
  run: (...args: A) => Promise<R | undefined>
  pending: boolean
  error: unknown
  fieldErrors: Record<string, string>
  reset: () => void
}

/** Run a mutation with pending and error state; resolves to undefined when it failed. */
export function useAction<A extends unknown[], R>(
  perform: (...args: A) => Promise<R>,
): Action<A, R> {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const performRef = useRef(perform)
  performRef.current = perform

  const run = useCallback(async (...args: A) => {
    setPending(true)
    setError(null)
    try {
      return await performRef.current(...args)
    } catch (err) {
      setError(err)
      return undefined
    } finally {
      setPending(false)
    }
  }, [])

  const reset = useCallback(() => setError(null), [])
  const fieldErrors = error instanceof ApiError ? error.fieldErrors : {}
  return { run, pending, error, fieldErrors, reset }
}

/**
 * A create action safe to click twice: while one submission is in flight, another click
 * joins it instead of sending a second request, and every copy of one submission carries the
 * same Idempotency-Key (see SubmissionKey), so a retry after a lost answer is answered with
 * what the first copy created.
 */
export function useCreate<D, R>(create: (data: D, idempotencyKey: string) => Promise<R>): Action<[D], R> {
  const key = useRef(new SubmissionKey())
  const inFlight = useRef<Promise<R | undefined> | null>(null)
  const action = useAction(async (data: D) => {
    try {
      const created = await create(data, key.current.get())
      key.current.settle()
      return created
    } catch (err) {
      key.current.settle(err)
      throw err
    }
  })
  const run = useCallback(
    (data: D) => {
      inFlight.current ??= action.run(data).finally(() => {
        inFlight.current = null
      })
      return inFlight.current
    },
    [action.run],
  )
  return { ...action, run }
}
