import { useCallback, useRef, useState } from 'react'
import { ApiError } from '../api/client'

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
